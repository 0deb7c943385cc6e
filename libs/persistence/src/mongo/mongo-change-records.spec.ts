import { holdSnapshot, itemSnapshot, movementSnapshot, Reservation } from '@app/core';
import { ChangeRecords, FeedStamps, holdLineDeltas, openingMovement, stepsOf } from './mongo-change-records';
import { InventoryDocument } from './mongo-documents';
import { toInventoryItem } from './mongo-mappers';

const at = new Date('2026-01-06T10:00:00.000Z');
const written = new Date('2026-01-06T10:00:01.000Z');

/** A SKU's document as a guarded write returned it (returnDocument 'after'). */
function stock(fields: Partial<InventoryDocument> = {}): InventoryDocument {
  return {
    _id: 'SKU-1',
    productName: 'P',
    totalQuantity: 10,
    availableQuantity: 0,
    reservedQuantity: 7,
    soldQuantity: 3,
    maxPerCustomer: null,
    lowStockThreshold: 2,
    ledgerSequence: 12,
    createdAt: at,
    updatedAt: at,
    ...fields,
  };
}

const hold: Reservation = {
  id: 'r-1',
  userId: 'u',
  items: [{ sku: 'SKU-1', quantity: 3 }],
  status: 'RESERVED',
  expiresAt: at,
  clientId: 'c',
  idempotencyKey: 'k',
  createdAt: at,
  finishedAt: null,
};

describe('mongo change records', () => {
  describe(stepsOf.name, () => {
    it('should unfold one write of several holds into one step per hold, each with its own id and counters', () => {
      // Two holds of 2 and 3 units reserved in one write: the document shows the state after both, ledgerSequence 12.
      const steps = stepsOf(stock(), [holdLineDeltas('reserved', 2), holdLineDeltas('reserved', 3)]);
      expect(steps.map((step) => step.id)).toEqual([11, 12]);
      expect(steps[0].before).toEqual({ totalQuantity: 10, availableQuantity: 5, reservedQuantity: 2, soldQuantity: 3 });
      expect(steps[0].item).toMatchObject({ availableQuantity: 3, reservedQuantity: 4 });
      expect(steps[1].before).toEqual({ totalQuantity: 10, availableQuantity: 3, reservedQuantity: 4, soldQuantity: 3 });
      expect(steps[1].item).toEqual(toInventoryItem(stock()));
    });

    it('should refuse a document without a ledger sequence: its opening movement is missing', () => {
      expect(() => stepsOf(stock({ ledgerSequence: undefined }), [holdLineDeltas('expired', 1)])).toThrow(/opening movement/);
    });
  });

  it.each([
    ['reserved', { availableDelta: -3, reservedDelta: 3, soldDelta: 0, totalDelta: 0 }],
    ['released', { availableDelta: 3, reservedDelta: -3, soldDelta: 0, totalDelta: 0 }],
    ['cancelled', { availableDelta: 3, reservedDelta: -3, soldDelta: 0, totalDelta: 0 }],
    ['expired', { availableDelta: 3, reservedDelta: -3, soldDelta: 0, totalDelta: 0 }],
    ['confirmed', { availableDelta: 0, reservedDelta: -3, soldDelta: 3, totalDelta: 0 }],
  ] as const)('should give a %s line its deltas', (type, deltas) => {
    expect(holdLineDeltas(type, 3)).toEqual(deltas);
  });

  it('should write the movement, the hold event with the core snapshots, then the threshold crossings, in order', () => {
    const records = new ChangeRecords(new FeedStamps(() => written.getTime()));
    const [step] = stepsOf(stock({ availableQuantity: 0, reservedQuantity: 7 }), [holdLineDeltas('reserved', 3)]);
    const change = records.movement(step, { type: 'reserved', at, reservationId: 'r-1', context: { actor: 'key-1' } });
    records.holdEvent('reservation.created', hold, [change], at);

    expect(records.movements).toEqual([
      {
        _id: 'SKU-1:12',
        id: 12,
        sku: 'SKU-1',
        type: 'reserved',
        availableDelta: -3,
        reservedDelta: 3,
        soldDelta: 0,
        totalDelta: 0,
        reservationId: 'r-1',
        reason: null,
        actor: 'key-1',
        at,
      },
    ]);
    // 3 -> 0 with threshold 2: low stock (3 >= 2 > 0), then out of stock.
    expect(records.events.map((event) => event.type)).toEqual(['reservation.created', 'inventory.low_stock', 'inventory.out_of_stock']);
    expect(records.events.map((event) => event.writtenAt)).toEqual([written, written, written]);
    expect(records.events.map((event) => event.position)).toEqual([1, 2, 3]);
    expect(records.events[0]).toMatchObject({
      orderingKey: 'reservation:r-1',
      timestamp: at,
      data: { reservation: holdSnapshot(hold), movements: [movementSnapshot(change.movement)] },
    });
    expect(records.events[1]).toMatchObject({
      orderingKey: 'sku:SKU-1',
      data: { item: itemSnapshot(toInventoryItem(stock())), movement: movementSnapshot(change.movement) },
    });
    expect(new Set(records.events.map((event) => event._id)).size).toBe(3);
  });

  it('should write an item event with a null movement when no counter changed, and no threshold event', () => {
    const records = new ChangeRecords(new FeedStamps(() => written.getTime()));
    records.itemEvent('inventory.updated', toInventoryItem(stock()), null, at);
    records.thresholdEvents([], at);
    expect(records.movements).toEqual([]);
    expect(records.events).toHaveLength(1);
    expect(records.events[0].data).toEqual({ item: itemSnapshot(toInventoryItem(stock())), movement: null });
  });

  it("should stamp events in the process's order: its wall clock never going back, and an increasing position", () => {
    const clock = [5_000, 4_000, 6_000];
    const stamps = new FeedStamps(() => clock.shift()!);
    expect([stamps.next(), stamps.next(), stamps.next()]).toEqual([
      { writtenAt: new Date(5_000), position: 1 },
      { writtenAt: new Date(5_000), position: 2 },
      { writtenAt: new Date(6_000), position: 3 },
    ]);
  });

  it('should open a SKU from before the ledger with movement 1 equal to its counters', () => {
    expect(openingMovement(stock({ ledgerSequence: 1 }), at)).toEqual({
      _id: 'SKU-1:1',
      id: 1,
      sku: 'SKU-1',
      type: 'opening',
      availableDelta: 0,
      reservedDelta: 7,
      soldDelta: 3,
      totalDelta: 10,
      reservationId: null,
      reason: null,
      actor: null,
      at,
    });
  });
});
