import {
  dueHolds,
  expireHolds,
  guardedInventoryChanges,
  holdTransition,
  idempotencyTakeover,
  reserveStock,
  stockMovement,
  unitsOf,
} from './mongo-updates';

const now = new Date('2026-01-06T10:00:00.000Z');

describe('mongo guarded writes', () => {
  describe(reserveStock.name, () => {
    it('should take stock only while enough is available, moving it to reserved in one $inc', () => {
      expect(reserveStock('SKU-1', 3, now)).toEqual({
        filter: { _id: 'SKU-1', availableQuantity: { $gte: 3 } },
        update: { $inc: { availableQuantity: -3, reservedQuantity: 3 }, $set: { updatedAt: now } },
      });
    });
  });

  describe(holdTransition.name, () => {
    const purgeAt = new Date('2026-01-13T10:00:00.000Z');

    it.each([
      ['confirm', 'CONFIRMED', { $gt: now }],
      ['cancel', 'CANCELLED', { $gt: now }],
      ['expire', 'EXPIRED', { $lte: now }],
    ] as const)('should %s only a RESERVED hold on the right side of its expiry', (transition, status, expiresAt) => {
      expect(holdTransition(transition, 'r-1', now, purgeAt)).toEqual({
        filter: { _id: 'r-1', status: 'RESERVED', expiresAt },
        update: { $set: { status, finishedAt: now, purgeAt } },
      });
    });
  });

  describe("one SKU's expiry", () => {
    const purgeAt = new Date('2026-01-13T10:00:00.000Z');

    it('should find the RESERVED holds due at the given time, of one SKU or of all', () => {
      expect(dueHolds(now, 'SKU-1')).toEqual({ status: 'RESERVED', expiresAt: { $lte: now }, sku: 'SKU-1' });
      expect(dueHolds(now)).toEqual({ status: 'RESERVED', expiresAt: { $lte: now } });
    });

    it('should expire the listed holds in one update, each only while still RESERVED and due', () => {
      expect(expireHolds(['r-1', 'r-2'], now, purgeAt)).toEqual({
        filter: { _id: { $in: ['r-1', 'r-2'] }, status: 'RESERVED', expiresAt: { $lte: now } },
        update: { $set: { status: 'EXPIRED', finishedAt: now, purgeAt } },
      });
    });

    it('should return the sum of their units with one guarded $inc', () => {
      const units = unitsOf([{ quantity: 2 }, { quantity: 5 }, { quantity: 1 }]);
      expect(units).toBe(8);
      expect(stockMovement('expire', 'SKU-1', units, now)).toEqual({
        filter: { _id: 'SKU-1', reservedQuantity: { $gte: 8 } },
        update: { $inc: { reservedQuantity: -8, availableQuantity: 8 }, $set: { updatedAt: now } },
      });
      expect(unitsOf([])).toBe(0);
    });
  });

  describe(stockMovement.name, () => {
    it('should move confirmed units from reserved to sold', () => {
      expect(stockMovement('confirm', 'SKU-1', 2, now).update.$inc).toEqual({ reservedQuantity: -2, soldQuantity: 2 });
    });

    it.each(['cancel', 'expire'] as const)('should return %s units from reserved to available', (transition) => {
      expect(stockMovement(transition, 'SKU-1', 2, now)).toEqual({
        filter: { _id: 'SKU-1', reservedQuantity: { $gte: 2 } },
        update: { $inc: { reservedQuantity: -2, availableQuantity: 2 }, $set: { updatedAt: now } },
      });
    });
  });

  describe(guardedInventoryChanges.name, () => {
    it('should guard with the new values against the stored reserved and sold counts', () => {
      expect(guardedInventoryChanges('SKU-1', { totalQuantity: 9, productName: 'New' }, now)).toEqual({
        filter: { _id: 'SKU-1', $expr: { $lte: [{ $add: ['$availableQuantity', '$reservedQuantity', '$soldQuantity'] }, 9] } },
        update: { $set: { updatedAt: now, productName: 'New', totalQuantity: 9 } },
      });
      expect(guardedInventoryChanges('SKU-1', { availableQuantity: 4 }, now).filter.$expr).toEqual({
        $lte: [{ $add: [4, '$reservedQuantity', '$soldQuantity'] }, '$totalQuantity'],
      });
    });

    it('should set a cap, and clear it with null', () => {
      for (const maxPerCustomer of [2, null]) {
        expect(guardedInventoryChanges('SKU-1', { maxPerCustomer }, now).update).toEqual({ $set: { updatedAt: now, maxPerCustomer } });
      }
    });
  });

  describe(idempotencyTakeover.name, () => {
    it('should only take over an unfinished claim of the same request whose lease ran out', () => {
      const lease = new Date(now.getTime() + 30_000);
      expect(idempotencyTakeover('reserve', 'k', 'fp', 't2', now, lease)).toEqual({
        filter: { scope: 'reserve', key: 'k', responseStatus: null, leaseUntil: { $lt: now }, fingerprint: 'fp' },
        update: { $set: { token: 't2', leaseUntil: lease } },
      });
    });
  });
});
