import { importedHoldId, planOriginalImport } from './original-mapping';

const now = new Date('2026-01-06T10:00:00.000Z');
const later = new Date('2026-01-06T10:10:00.000Z');
const earlier = new Date('2026-01-06T09:50:00.000Z');
const created = new Date('2025-12-01T00:00:00.000Z');
/** What an ObjectId looks like to the mapping: something with a hex string form. */
const objectId = (hex: string) => ({ toString: () => hex });

const item = (fields: Record<string, unknown> = {}) => ({
  _id: objectId('665f00000000000000000001'),
  sku: 'SKU-1',
  productName: 'Widget',
  totalQuantity: 10,
  availableQuantity: 6,
  createdAt: created,
  updatedAt: created,
  __v: 0,
  ...fields,
});
const hold = (hex: string, fields: Record<string, unknown> = {}) => ({
  _id: objectId(hex),
  sku: 'SKU-1',
  userId: 'user-7',
  quantity: 2,
  status: 'RESERVED',
  expiresAt: later,
  createdAt: earlier,
  ...fields,
});

describe(planOriginalImport.name, () => {
  it('should copy an item with its active holds as one-line holds, keyed by SKU, reserved being the sum of the holds', () => {
    const plan = planOriginalImport([item()], [hold('a1'), hold('a2', { quantity: 1, idempotencyKey: 'client-key' })], now);
    expect(plan.skipped).toEqual([]);
    expect(plan.skus).toHaveLength(1);
    const [{ item: copied, holds }] = plan.skus;
    expect(copied).toEqual({
      _id: 'SKU-1',
      productName: 'Widget',
      totalQuantity: 10,
      availableQuantity: 6,
      reservedQuantity: 3,
      soldQuantity: 0,
      createdAt: created,
      updatedAt: created,
    });
    expect(holds).toEqual([
      {
        _id: importedHoldId(objectId('a1')),
        items: [{ sku: 'SKU-1', quantity: 2 }],
        userId: 'user-7',
        status: 'RESERVED',
        expiresAt: later,
        clientId: 'anonymous',
        idempotencyKey: 'original:a1',
        createdAt: earlier,
        finishedAt: null,
        purgeAt: null,
      },
      expect.objectContaining({ items: [{ sku: 'SKU-1', quantity: 1 }], idempotencyKey: 'client-key', expiresAt: later }),
    ]);
  });

  it('should give each hold a stable UUID derived from its ObjectId', () => {
    const id = importedHoldId(objectId('665f0000000000000000000a'));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(importedHoldId(objectId('665f0000000000000000000a'))).toBe(id);
    expect(importedHoldId(objectId('665f0000000000000000000b'))).not.toBe(id);
  });

  it('should leave finished holds behind and return the units of due ones to available, as expiry would', () => {
    const plan = planOriginalImport(
      [item({ availableQuantity: 4, soldQuantity: 1 })],
      [
        hold('d1', { expiresAt: earlier, quantity: 3 }),
        hold('c1', { status: 'confirmed' }),
        hold('x1', { status: 'reserved', quantity: 1 }),
      ],
      now,
    );
    expect(plan.skus[0].item).toMatchObject({ availableQuantity: 7, reservedQuantity: 1, soldQuantity: 1 });
    expect(plan.skus[0].holds.map((h) => h.idempotencyKey)).toEqual(['original:x1']);
  });

  it.each([
    ['an invalid SKU', { sku: 'bad sku!' }, /not a valid SKU/],
    ['a missing product name', { productName: null }, /productName/],
    ['a fractional quantity', { availableQuantity: 2.5 }, /whole numbers/],
    ['a negative quantity', { totalQuantity: -1 }, /whole numbers/],
    ['more held than the total allows', { totalQuantity: 7 }, /must not exceed totalQuantity/],
  ])('should skip an item with %s, and name it', (_label, fields, reason) => {
    const plan = planOriginalImport([item(fields)], [hold('a1'), hold('a2')], now);
    expect(plan.skus).toEqual([]);
    expect(plan.skipped).toEqual(
      expect.arrayContaining([{ what: expect.stringMatching(/^item /), reason: expect.stringMatching(reason) }]),
    );
  });

  it('should skip malformed holds, holds of items not imported, and a second item with the same SKU', () => {
    const plan = planOriginalImport(
      [item(), item({ _id: objectId('dup') })],
      [hold('q0', { quantity: 0 }), hold('o1', { sku: 'OTHER' }), hold('n1', { expiresAt: 'tomorrow' })],
      now,
    );
    expect(plan.skus.map((s) => s.item._id)).toEqual(['SKU-1']);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/whole quantity/),
      expect.stringMatching(/expiresAt date/),
      'a second item with the same sku',
      'its item is not imported',
    ]);
  });
});
