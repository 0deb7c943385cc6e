import { toInventoryItem, toReservation } from './mongo-mappers';

describe('mongo mappers', () => {
  const at = new Date('2026-01-06T10:00:00.000Z');

  it('should map an inventory document to the core item, _id becoming the sku', () => {
    expect(
      toInventoryItem({ _id: 'SKU-1', productName: 'P', totalQuantity: 5, availableQuantity: 3, reservedQuantity: 1, soldQuantity: 1, createdAt: at, updatedAt: at }),
    ).toEqual({ sku: 'SKU-1', productName: 'P', totalQuantity: 5, availableQuantity: 3, reservedQuantity: 1, soldQuantity: 1, createdAt: at, updatedAt: at });
  });

  it('should map a hold, leaving storage-only fields behind', () => {
    const reservation = toReservation({
      _id: 'r-1',
      sku: 'SKU-1',
      userId: 'u',
      quantity: 2,
      status: 'CONFIRMED',
      expiresAt: at,
      idempotencyKey: 'k',
      createdAt: at,
      finishedAt: at,
      purgeAt: at,
    });
    expect(reservation).toEqual({ id: 'r-1', sku: 'SKU-1', userId: 'u', quantity: 2, status: 'CONFIRMED', expiresAt: at, idempotencyKey: 'k', createdAt: at, finishedAt: at });
  });
});
