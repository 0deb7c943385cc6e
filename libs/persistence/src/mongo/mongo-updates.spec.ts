import {
  cancelWholeHold,
  customerUnitsPipeline,
  dueHolds,
  expireHolds,
  extendHold,
  guardedInventoryChanges,
  holdTransition,
  idempotencyTakeover,
  lineSumsPipeline,
  MIGRATE_HOLDS_TO_LINES,
  reserveStock,
  sameLinesAs,
  shrinkHold,
  ledgerSumsPipeline,
  OPEN_LEDGER,
  stockWrite,
  stockWrites,
} from './mongo-updates';

const now = new Date('2026-01-06T10:00:00.000Z');

describe('mongo guarded writes', () => {
  describe(reserveStock.name, () => {
    it('should take stock only while enough is available, moving it to reserved in one $inc', () => {
      expect(reserveStock('SKU-1', 3, now)).toEqual({
        filter: { _id: 'SKU-1', availableQuantity: { $gte: 3 } },
        update: { $inc: { availableQuantity: -3, reservedQuantity: 3, ledgerSequence: 1 }, $set: { updatedAt: now } },
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

  describe('expiry of due holds', () => {
    const purgeAt = new Date('2026-01-13T10:00:00.000Z');

    it('should find the RESERVED holds due at the given time: all, or those with a line of one of the given SKUs', () => {
      expect(dueHolds(now)).toEqual({ status: 'RESERVED', expiresAt: { $lte: now } });
      expect(dueHolds(now, ['A-1', 'B-1'])).toEqual({ status: 'RESERVED', expiresAt: { $lte: now }, 'items.sku': { $in: ['A-1', 'B-1'] } });
    });

    it('should expire the listed holds in one update, each only while still RESERVED and due', () => {
      expect(expireHolds(['r-1', 'r-2'], now, purgeAt)).toEqual({
        filter: { _id: { $in: ['r-1', 'r-2'] }, status: 'RESERVED', expiresAt: { $lte: now } },
        update: { $set: { status: 'EXPIRED', finishedAt: now, purgeAt } },
      });
    });
  });

  describe(stockWrites.name, () => {
    it('should return the lines of several holds with one guarded $inc per SKU, summed, in SKU byte order, one ledger id per line', () => {
      const lines = [
        { sku: 'b-1', quantity: 1 },
        { sku: 'B-1', quantity: 2 },
        { sku: 'A-1', quantity: 3 },
        { sku: 'B-1', quantity: 4 },
      ];
      const writes = stockWrites('expire', lines, now);
      expect(writes.map((write) => write.sku)).toEqual(['A-1', 'B-1', 'b-1']);
      expect(writes[1]).toEqual({
        sku: 'B-1',
        filter: { _id: 'B-1', reservedQuantity: { $gte: 6 } },
        update: { $inc: { reservedQuantity: -6, availableQuantity: 6, ledgerSequence: 2 }, $set: { updatedAt: now } },
      });
      expect(stockWrites('confirm', lines, now)[0].update.$inc).toEqual({ reservedQuantity: -3, soldQuantity: 3, ledgerSequence: 1 });
      expect(stockWrites('cancel', [], now)).toEqual([]);
    });
  });

  describe('release of lines', () => {
    const purgeAt = new Date('2026-01-13T10:00:00.000Z');
    const base = {
      _id: 'r-1',
      userId: 'u',
      status: 'RESERVED' as const,
      expiresAt: now,
      clientId: 'c',
      idempotencyKey: 'k',
      createdAt: now,
      finishedAt: null,
    };
    const items = [
      { sku: 'A-1', quantity: 2 },
      { sku: 'B-1', quantity: 3 },
    ];

    it('should guard on the lines exactly as read, or on the single SKU of a hold written before carts', () => {
      const stored = { ...base, items };
      expect(sameLinesAs(stored).items).toBe(items);
      expect(sameLinesAs({ ...base, sku: 'A-1', quantity: 2 })).toEqual({ items: { $exists: false }, sku: 'A-1', quantity: 2 });
    });

    it('should shrink only an active hold that still has the lines read, dropping the fields of the old shape', () => {
      expect(shrinkHold({ ...base, items }, [{ sku: 'B-1', quantity: 1 }], now)).toEqual({
        filter: { _id: 'r-1', status: 'RESERVED', expiresAt: { $gt: now }, items },
        update: { $set: { items: [{ sku: 'B-1', quantity: 1 }] }, $unset: { sku: '', quantity: '' } },
      });
    });

    it('should cancel, keeping the lines, an active hold whose every unit is released', () => {
      expect(cancelWholeHold({ ...base, items }, now, purgeAt)).toEqual({
        filter: { _id: 'r-1', status: 'RESERVED', expiresAt: { $gt: now }, items },
        update: { $set: { status: 'CANCELLED', finishedAt: now, purgeAt } },
      });
    });
  });

  describe(extendHold.name, () => {
    it('should move expiresAt by the seconds only while active and within the lifetime from createdAt, in one pipeline update', () => {
      const extended = { $add: ['$expiresAt', 300_000] };
      expect(extendHold('r-1', 300, 3600, now)).toEqual({
        filter: {
          _id: 'r-1',
          status: 'RESERVED',
          expiresAt: { $gt: now },
          $expr: { $lte: [extended, { $add: ['$createdAt', 3_600_000] }] },
        },
        update: [{ $set: { expiresAt: extended } }],
      });
    });
  });

  describe('aggregations over lines', () => {
    it("should sum the customer's units of the capped SKUs in their other active holds, per SKU", () => {
      const skus = ['A-1', 'B-1'];
      expect(customerUnitsPipeline({ id: 'r-9', userId: 'u', createdAt: now }, skus)).toEqual([
        { $match: { 'items.sku': { $in: skus }, userId: 'u', status: 'RESERVED', expiresAt: { $gt: now }, _id: { $ne: 'r-9' } } },
        { $unwind: '$items' },
        { $match: { 'items.sku': { $in: skus } } },
        { $group: { _id: '$items.sku', units: { $sum: '$items.quantity' } } },
      ]);
    });

    it("should sum one SKU's lines per status over RESERVED and CONFIRMED holds, other SKUs' lines left out", () => {
      expect(lineSumsPipeline('A-1')).toEqual([
        { $match: { 'items.sku': 'A-1', status: { $in: ['RESERVED', 'CONFIRMED'] } } },
        { $unwind: '$items' },
        { $match: { 'items.sku': 'A-1' } },
        { $group: { _id: '$status', quantity: { $sum: '$items.quantity' } } },
      ]);
    });
  });

  describe('MIGRATE_HOLDS_TO_LINES', () => {
    it('should turn the top-level sku and quantity of each hold without lines into its one line, and match no migrated hold', () => {
      expect(MIGRATE_HOLDS_TO_LINES).toEqual({
        filter: { items: { $exists: false } },
        update: [{ $set: { items: [{ sku: '$sku', quantity: '$quantity' }] } }, { $unset: ['sku', 'quantity'] }],
      });
    });
  });

  describe(stockWrite.name, () => {
    it('should move confirmed units from reserved to sold', () => {
      expect(stockWrite('confirm', 'SKU-1', 2, 1, now).update.$inc).toEqual({ reservedQuantity: -2, soldQuantity: 2, ledgerSequence: 1 });
    });

    it.each(['cancel', 'expire'] as const)('should return %s units from reserved to available', (transition) => {
      expect(stockWrite(transition, 'SKU-1', 2, 1, now)).toEqual({
        filter: { _id: 'SKU-1', reservedQuantity: { $gte: 2 } },
        update: { $inc: { reservedQuantity: -2, availableQuantity: 2, ledgerSequence: 1 }, $set: { updatedAt: now } },
      });
    });
  });

  describe('ledger', () => {
    it('should sum every delta of the SKU into the counters they must equal, without the group key', () => {
      expect(ledgerSumsPipeline('SKU-1')).toEqual([
        { $match: { sku: 'SKU-1' } },
        {
          $group: {
            _id: null,
            totalQuantity: { $sum: '$totalDelta' },
            availableQuantity: { $sum: '$availableDelta' },
            reservedQuantity: { $sum: '$reservedDelta' },
            soldQuantity: { $sum: '$soldDelta' },
          },
        },
        { $project: { _id: 0 } },
      ]);
    });

    it('should open only a SKU that has no ledger sequence yet, so a second writer finds nothing to open', () => {
      expect(OPEN_LEDGER).toEqual({ filter: { ledgerSequence: { $exists: false } }, update: { $set: { ledgerSequence: 1 } } });
    });
  });

  describe(guardedInventoryChanges.name, () => {
    it('should guard with the new values against the stored reserved and sold counts', () => {
      expect(guardedInventoryChanges('SKU-1', { totalQuantity: 9, productName: 'New' }, now)).toEqual({
        filter: { _id: 'SKU-1', $expr: { $lte: [{ $add: ['$availableQuantity', '$reservedQuantity', '$soldQuantity'] }, 9] } },
        update: { $set: { updatedAt: now, productName: 'New', totalQuantity: 9 }, $inc: { ledgerSequence: 1 } },
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

    it('should set a low-stock threshold without taking a ledger id: no counter changes', () => {
      expect(guardedInventoryChanges('SKU-1', { lowStockThreshold: 5 }, now).update).toEqual({
        $set: { updatedAt: now, lowStockThreshold: 5 },
      });
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
