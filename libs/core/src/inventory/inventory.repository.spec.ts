import { InventoryItem } from './inventory-item';
import { outcomeOfRefusedDelete, outcomeOfRefusedUpdate } from './inventory.repository';

const at = new Date('2026-01-06T10:00:00.000Z');
const row = (levels: Partial<InventoryItem> = {}): InventoryItem => ({
  sku: 'A',
  productName: 'Laptop',
  totalQuantity: 10,
  availableQuantity: 5,
  reservedQuantity: 3,
  soldQuantity: 2,
  maxPerCustomer: null,
  lowStockThreshold: null,
  stockBuckets: 1,
  createdAt: at,
  updatedAt: at,
  ...levels,
});

describe(outcomeOfRefusedUpdate.name, () => {
  it('should report not_found when the row is gone', () => {
    expect(outcomeOfRefusedUpdate(null, { totalQuantity: 1 })).toEqual({ status: 'not_found' });
  });

  it('should report the broken rule against the row as read', () => {
    const current = row();
    expect(outcomeOfRefusedUpdate(current, { totalQuantity: 9 })).toEqual({
      status: 'rule_broken',
      current,
      rule: 'availableQuantity + reservedQuantity + soldQuantity must not exceed totalQuantity (5 + 3 + 2 > 9)',
    });
  });

  it('should report contended when the row as read allows the change (it changed after the guard refused)', () => {
    expect(outcomeOfRefusedUpdate(row(), { totalQuantity: 10 })).toEqual({ status: 'contended' });
  });
});

describe(outcomeOfRefusedDelete.name, () => {
  it('should report not_found when the row is gone', () => {
    expect(outcomeOfRefusedDelete(null)).toEqual({ status: 'not_found' });
  });

  it('should report the reserved units that block the delete', () => {
    expect(outcomeOfRefusedDelete(row({ reservedQuantity: 4 }))).toEqual({ status: 'has_active_reservations', reservedQuantity: 4 });
  });

  it('should report contended, never has_active_reservations with zero units, when the units were released meanwhile', () => {
    expect(outcomeOfRefusedDelete(row({ reservedQuantity: 0 }))).toEqual({ status: 'contended' });
  });
});
