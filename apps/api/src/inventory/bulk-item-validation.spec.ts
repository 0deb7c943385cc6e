import { checkBulkItem } from './bulk-item-validation';

describe(checkBulkItem.name, () => {
  it('should accept a valid item', () => {
    expect(checkBulkItem({ sku: 'A-1', productName: 'One', totalQuantity: 3 }, 0)).toMatchObject({
      ok: true,
      input: { sku: 'A-1', productName: 'One', totalQuantity: 3 },
    });
  });

  it('should name the index and the field of a bad item', () => {
    const check = checkBulkItem({ sku: 'A-1', productName: 'One', totalQuantity: '3' }, 4);
    expect(check).toMatchObject({ ok: false, failure: { index: 4, sku: 'A-1', code: 'VALIDATION_FAILED' } });
    expect(!check.ok && check.failure.message).toContain('items[4].totalQuantity: totalQuantity must be an integer');
  });

  it('should reject unknown fields as a single create does', () => {
    const check = checkBulkItem({ sku: 'A-1', productName: 'One', totalQuantity: 3, reservedQuantity: 1 }, 0);
    expect(!check.ok && check.failure.message).toContain('property reservedQuantity should not exist');
  });

  it.each([null, 5, 'A-1', [1]])('should reject %p as not an object', (raw) => {
    expect(checkBulkItem(raw, 2)).toEqual({
      ok: false,
      failure: { index: 2, code: 'VALIDATION_FAILED', message: 'items[2] must be an object' },
    });
  });
});
