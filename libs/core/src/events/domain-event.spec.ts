import { InventoryItem } from '../inventory/inventory-item';
import { StockMovement } from '../ledger/stock-movement';
import { Reservation } from '../reservation/reservation';
import { holdSnapshot, itemSnapshot, movementSnapshot, orderingKeyOf, thresholdCrossings } from './domain-event';

const at = new Date('2026-01-06T10:00:00.000Z');
const later = new Date('2026-01-06T10:05:00.000Z');

const hold: Reservation = {
  id: 'r-1',
  userId: 'user-1',
  items: [
    { sku: 'A', quantity: 2 },
    { sku: 'B', quantity: 1 },
  ],
  status: 'CONFIRMED',
  expiresAt: later,
  clientId: 'key-1',
  idempotencyKey: 'idem-1',
  createdAt: at,
  finishedAt: later,
};

const item: InventoryItem = {
  sku: 'A',
  productName: 'Laptop',
  totalQuantity: 10,
  availableQuantity: 5,
  reservedQuantity: 3,
  soldQuantity: 2,
  maxPerCustomer: null,
  lowStockThreshold: 4,
  stockBuckets: 1,
  createdAt: at,
  updatedAt: later,
};

const movement: StockMovement = {
  id: 7,
  sku: 'A',
  type: 'reserved',
  availableDelta: -2,
  reservedDelta: 2,
  soldDelta: 0,
  totalDelta: 0,
  reservationId: 'r-1',
  reason: null,
  actor: 'key-1',
  at,
};

describe('event snapshots', () => {
  it('should show a hold as the API does, without its client, times as ISO strings', () => {
    expect(holdSnapshot(hold)).toEqual({
      reservationId: 'r-1',
      userId: 'user-1',
      status: 'CONFIRMED',
      items: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
      expiresAt: '2026-01-06T10:05:00.000Z',
      idempotencyKey: 'idem-1',
      createdAt: '2026-01-06T10:00:00.000Z',
      finishedAt: '2026-01-06T10:05:00.000Z',
    });
    expect(holdSnapshot({ ...hold, status: 'RESERVED', finishedAt: null }).finishedAt).toBeNull();
  });

  it('should survive a JSON round trip unchanged (what an adapter stores is what it reads back)', () => {
    for (const snapshot of [holdSnapshot(hold), itemSnapshot(item), movementSnapshot(movement)]) {
      expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    }
  });

  it('should show an item with every counter, its cap, threshold and stock buckets, times as ISO strings', () => {
    expect(itemSnapshot(item)).toEqual({
      sku: 'A',
      productName: 'Laptop',
      totalQuantity: 10,
      availableQuantity: 5,
      reservedQuantity: 3,
      soldQuantity: 2,
      maxPerCustomer: null,
      lowStockThreshold: 4,
      stockBuckets: 1,
      createdAt: '2026-01-06T10:00:00.000Z',
      updatedAt: '2026-01-06T10:05:00.000Z',
    });
  });

  it('should show a movement with its time as an ISO string', () => {
    expect(movementSnapshot(movement)).toEqual({ ...movement, at: '2026-01-06T10:00:00.000Z' });
  });

  it('should not carry fields beyond the snapshot (an item read with extra columns)', () => {
    expect(Object.keys(itemSnapshot({ ...item, extra: 1 } as InventoryItem))).not.toContain('extra');
  });
});

describe(orderingKeyOf.name, () => {
  it('should key reservation events by hold and inventory events by SKU', () => {
    expect(orderingKeyOf({ type: 'reservation.created', data: { reservation: holdSnapshot(hold), movements: [] } })).toBe(
      'reservation:r-1',
    );
    expect(orderingKeyOf({ type: 'inventory.low_stock', data: { item: itemSnapshot(item), movement: null } })).toBe('sku:A');
  });
});

describe(thresholdCrossings.name, () => {
  it('should fire low_stock when available falls below the threshold', () => {
    expect(thresholdCrossings(5, 3, 4)).toEqual(['inventory.low_stock']);
    expect(thresholdCrossings(4, 3, 4)).toEqual(['inventory.low_stock']);
  });

  it('should not fire again on a further decrease below the threshold, nor on a rise that stays below', () => {
    expect(thresholdCrossings(3, 2, 4)).toEqual([]);
    expect(thresholdCrossings(2, 3, 4)).toEqual([]);
  });

  it('should not fire when available stays at or above the threshold', () => {
    expect(thresholdCrossings(9, 4, 4)).toEqual([]);
    expect(thresholdCrossings(4, 9, 4)).toEqual([]);
  });

  it('should fire again after available went back above and falls once more', () => {
    const steps = [5, 3, 6, 2];
    const fired = steps.slice(1).map((after, index) => thresholdCrossings(steps[index], after, 4));
    expect(fired).toEqual([['inventory.low_stock'], [], ['inventory.low_stock']]);
  });

  it('should fire out_of_stock at 0, with low_stock first when 0 is also the crossing', () => {
    expect(thresholdCrossings(5, 0, 4)).toEqual(['inventory.low_stock', 'inventory.out_of_stock']);
    expect(thresholdCrossings(2, 0, 4)).toEqual(['inventory.out_of_stock']);
    expect(thresholdCrossings(2, 0, null)).toEqual(['inventory.out_of_stock']);
  });

  it('should fire back_in_stock when available leaves 0, and low_stock nowhere in between', () => {
    expect(thresholdCrossings(0, 2, 4)).toEqual(['inventory.back_in_stock']);
    expect(thresholdCrossings(0, 9, 4)).toEqual(['inventory.back_in_stock']);
  });

  it('should not fire while stock stays at 0, or without a change', () => {
    expect(thresholdCrossings(0, 0, 4)).toEqual([]);
    expect(thresholdCrossings(5, 5, 6)).toEqual([]);
  });

  it('should fire no low_stock without a threshold', () => {
    expect(thresholdCrossings(5, 1, null)).toEqual([]);
  });
});
