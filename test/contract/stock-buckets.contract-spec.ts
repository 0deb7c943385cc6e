import {
  Clock,
  HoldFinish,
  HoldLine,
  InventoryService,
  isConsistent,
  Reservation,
  ReserveResult,
  STOCK_BUCKETS_MAX,
  StockBucketsUnsupportedError,
} from '@app/core';
import { sql } from 'drizzle-orm';
import { describeEachSubject, openSubject, RepositorySubject, SubjectName } from '../support/repository-subjects';
import { feedSettled, forwardClock, newHold, newItem, readToEnd, skusInOrder } from './ledger-fixtures';

/** Which subjects spread a SKU's stock over several rows; MongoDB keeps one document per SKU (README, Flash sales). */
const SUPPORTS_BUCKETS: Record<SubjectName, boolean> = { 'in-memory': true, pglite: true, postgres: true, mongo: false };

interface BucketRow extends Record<string, unknown> {
  bucket: number;
  available: number;
  reserved: number;
  sold: number;
}

describeEachSubject('Stock buckets contract', (subjectName) => {
  let subject: RepositorySubject;
  const tick = forwardClock();
  const finish = (now: Date): HoldFinish => ({ now, retainUntil: new Date(now.getTime() + 3_600_000) });

  beforeAll(async () => {
    subject = await openSubject(subjectName);
  });
  afterAll(() => subject.close());

  it(`should state its capability: ${SUPPORTS_BUCKETS[subjectName] ? `up to ${STOCK_BUCKETS_MAX} buckets` : 'one row per SKU'}`, () => {
    expect(subject.inventory.maxStockBuckets).toBe(SUPPORTS_BUCKETS[subjectName] ? STOCK_BUCKETS_MAX : 1);
  });

  if (!SUPPORTS_BUCKETS[subjectName]) {
    it('should have the service refuse stockBuckets above 1 before anything is written, and accept 1', async () => {
      const clock: Clock = { now: () => tick() };
      const service = new InventoryService(subject.inventory, clock);
      const [sku, other] = skusInOrder(2);
      await expect(service.create({ sku, productName: 'Hot', totalQuantity: 8, stockBuckets: 8 })).rejects.toBeInstanceOf(
        StockBucketsUnsupportedError,
      );
      expect(await subject.inventory.findBySku(sku)).toBeNull();
      await service.create({ sku: other, productName: 'Hot', totalQuantity: 8, stockBuckets: 1 });
      await expect(service.update(other, { stockBuckets: 2 })).rejects.toMatchObject({ code: 'STOCK_BUCKETS_UNSUPPORTED' });
      expect(await subject.inventory.findBySku(other)).toMatchObject({ stockBuckets: 1, availableQuantity: 8 });
    });
    return;
  }

  const bucketed = async (total: number, stockBuckets: number, overrides: Parameters<typeof newItem>[2] = {}) => {
    const [sku] = skusInOrder(1);
    await subject.inventory.insert(newItem(sku, total, { stockBuckets, ...overrides }), tick());
    return sku;
  };
  const attempt = (lines: HoldLine[], overrides: Parameters<typeof newHold>[2] = {}): Promise<ReserveResult> =>
    subject.reservations.tryReserve(newHold(lines, tick(), overrides));
  const reserve = async (lines: HoldLine[], overrides: Parameters<typeof newHold>[2] = {}): Promise<Reservation> => {
    const result = await attempt(lines, overrides);
    if (result.status !== 'reserved') throw new Error(`expected a hold, got ${result.status}`);
    return result.reservation;
  };
  const levels = async (sku: string) => {
    const item = (await subject.inventory.findBySku(sku))!;
    return { available: item.availableQuantity, reserved: item.reservedQuantity, sold: item.soldQuantity };
  };
  const consistent = async (sku: string) => isConsistent((await subject.reservations.reconcile(sku))!);
  /** SQL backends: the SKU's bucket rows, and its item row's own counters (0 while bucketed). */
  const rowsOf = async (sku: string) => {
    if (!subject.handle) return null;
    const buckets = await subject.handle.rows<BucketRow>(sql`
      SELECT bucket, available_quantity AS available, reserved_quantity AS reserved, sold_quantity AS sold
      FROM inventory_stock_buckets WHERE sku = ${sku} ORDER BY bucket`);
    const [item] = await subject.handle.rows<{ available: number; reserved: number; sold: number }>(sql`
      SELECT available_quantity AS available, reserved_quantity AS reserved, sold_quantity AS sold
      FROM inventory_items WHERE sku = ${sku}`);
    return { buckets, item };
  };
  /** SQL backends: the counters live in exactly `n` bucket rows (n > 1), or on the item row alone (n = 1). */
  const expectSpread = async (sku: string, n: number) => {
    const rows = await rowsOf(sku);
    if (!rows) return;
    const sums = await levels(sku);
    if (n === 1) {
      expect(rows.buckets).toEqual([]);
      expect(rows.item).toEqual(sums);
      return;
    }
    expect(rows.buckets.map((row) => row.bucket)).toEqual(Array.from({ length: n }, (_, index) => index + 1));
    expect(rows.item).toEqual({ available: 0, reserved: 0, sold: 0 });
    const total = (key: 'available' | 'reserved' | 'sold') => rows.buckets.reduce((sum, row) => sum + row[key], 0);
    expect({ available: total('available'), reserved: total('reserved'), sold: total('sold') }).toEqual(sums);
  };

  describe('creating', () => {
    it('should store stockBuckets and show the whole stock on every read', async () => {
      const sku = await bucketed(37, 8);
      expect(await subject.inventory.findBySku(sku)).toMatchObject({ stockBuckets: 8, totalQuantity: 37, availableQuantity: 37 });
      await expectSpread(sku, 8);
      const rows = await rowsOf(sku);
      if (rows) expect(rows.buckets.map((row) => row.available)).toEqual([5, 5, 5, 5, 5, 4, 4, 4]);
      expect(await consistent(sku)).toBe(true);
    });

    it('should spread the bucketed SKUs of a bulk create', async () => {
      const [a, b] = skusInOrder(2);
      const { created } = await subject.inventory.insertManySkippingExisting([newItem(a, 10, { stockBuckets: 4 }), newItem(b, 3)], tick());
      expect(created.map((item) => [item.sku, item.stockBuckets, item.availableQuantity])).toEqual([
        [a, 4, 10],
        [b, 1, 3],
      ]);
      await expectSpread(a, 4);
      await expectSpread(b, 1);
    });
  });

  describe('reserving', () => {
    it('should reserve one line from a bucketed SKU', async () => {
      const sku = await bucketed(20, 4);
      await reserve([{ sku, quantity: 2 }]);
      expect(await levels(sku)).toEqual({ available: 18, reserved: 2, sold: 0 });
      await expectSpread(sku, 4);
      expect(await consistent(sku)).toBe(true);
    });

    it('should serve the last units scattered one per bucket, and a line larger than any bucket', async () => {
      const scattered = await bucketed(8, 8);
      await reserve([{ sku: scattered, quantity: 3 }]);
      await reserve([{ sku: scattered, quantity: 4 }]);
      await reserve([{ sku: scattered, quantity: 1 }]);
      expect(await attempt([{ sku: scattered, quantity: 1 }])).toMatchObject({
        status: 'insufficient',
        shortages: [{ sku: scattered, requested: 1, available: 0 }],
      });
      expect(await levels(scattered)).toEqual({ available: 0, reserved: 8, sold: 0 });

      const large = await bucketed(37, 8);
      await reserve([{ sku: large, quantity: 30 }]);
      expect(await attempt([{ sku: large, quantity: 8 }])).toMatchObject({ status: 'insufficient' });
      await reserve([{ sku: large, quantity: 7 }]);
      expect(await levels(large)).toEqual({ available: 0, reserved: 37, sold: 0 });
      expect(await consistent(large)).toBe(true);
    });

    it('should never oversell and sell every unit when 50 single-unit reserves race over 8 buckets holding 37', async () => {
      const sku = await bucketed(37, 8);
      const results = await Promise.all(Array.from({ length: 50 }, (_, index) => attempt([{ sku, quantity: 1 }], { userId: `u${index}` })));
      expect(results.filter((result) => result.status === 'reserved')).toHaveLength(37);
      expect(results.filter((result) => result.status === 'insufficient')).toHaveLength(13);
      expect(await levels(sku)).toEqual({ available: 0, reserved: 37, sold: 0 });
      await expectSpread(sku, 8);
      expect(await consistent(sku)).toBe(true);
    });

    it('should serve racing multi-unit reserves until fewer units are left than asked', async () => {
      const sku = await bucketed(37, 8);
      const results = await Promise.all(Array.from({ length: 20 }, () => attempt([{ sku, quantity: 3 }])));
      expect(results.filter((result) => result.status === 'reserved')).toHaveLength(12);
      expect(await levels(sku)).toEqual({ available: 1, reserved: 36, sold: 0 });
      expect(await consistent(sku)).toBe(true);
    });

    it('should hold a cart of a bucketed and a one-row SKU all or nothing', async () => {
      const sku = await bucketed(6, 3);
      const [plain] = skusInOrder(1);
      await subject.inventory.insert(newItem(plain, 2), tick());
      await reserve([
        { sku, quantity: 5 },
        { sku: plain, quantity: 1 },
      ]);
      expect(
        await attempt([
          { sku, quantity: 2 },
          { sku: plain, quantity: 1 },
        ]),
      ).toMatchObject({ status: 'insufficient' });
      expect(await levels(sku)).toEqual({ available: 1, reserved: 5, sold: 0 });
      expect(await levels(plain)).toEqual({ available: 1, reserved: 1, sold: 0 });
      await expectSpread(sku, 3);
      expect((await consistent(sku)) && (await consistent(plain))).toBe(true);
    });

    it('should apply a per-customer cap to a bucketed SKU', async () => {
      const sku = await bucketed(20, 4, { maxPerCustomer: 3 });
      await reserve([{ sku, quantity: 2 }], { userId: 'capped' });
      expect(await attempt([{ sku, quantity: 2 }], { userId: 'capped' })).toMatchObject({ status: 'customer_limit', heldByCustomer: 2 });
      await reserve([{ sku, quantity: 1 }], { userId: 'capped' });
      expect(await levels(sku)).toEqual({ available: 17, reserved: 3, sold: 0 });
      await expectSpread(sku, 4);
    });
  });

  describe('ending and releasing holds', () => {
    it('should move the units of confirm, cancel, expiry, sweep and release back into the buckets, counters = sums', async () => {
      const sku = await bucketed(40, 8);
      const confirmed = await reserve([{ sku, quantity: 6 }]);
      const cancelled = await reserve([{ sku, quantity: 5 }]);
      const expired = await reserve([{ sku, quantity: 4 }]);
      const swept = await reserve([{ sku, quantity: 3 }]);
      const released = await reserve([{ sku, quantity: 7 }]);
      expect(await levels(sku)).toEqual({ available: 15, reserved: 25, sold: 0 });

      await subject.reservations.confirmIfActive(confirmed.id, finish(tick()));
      expect(await levels(sku)).toEqual({ available: 15, reserved: 19, sold: 6 });
      await subject.reservations.cancelIfActive(cancelled.id, finish(tick()));
      expect(await levels(sku)).toEqual({ available: 20, reserved: 14, sold: 6 });
      const release = await subject.reservations.releaseIfActive(released.id, [{ sku, quantity: 4 }], finish(tick()));
      expect(release).toMatchObject({ status: 'released', reservation: { items: [{ sku, quantity: 3 }] } });
      expect(await levels(sku)).toEqual({ available: 24, reserved: 10, sold: 6 });
      await subject.reservations.expireIfDue(expired.id, finish(tick(400)));
      expect(await subject.reservations.expireDue(finish(tick()), 10, [sku])).toBe(2);
      expect((await subject.reservations.findById(swept.id))!.status).toBe('EXPIRED');
      expect(await levels(sku)).toEqual({ available: 34, reserved: 0, sold: 6 });
      await expectSpread(sku, 8);
      expect(await consistent(sku)).toBe(true);
    });
  });

  describe('rebalancing', () => {
    it('should change the number of buckets up and down with active holds, keeping every counter', async () => {
      const sku = await bucketed(30, 4);
      const first = await reserve([{ sku, quantity: 5 }]);
      const second = await reserve([{ sku, quantity: 4 }]);
      await subject.reservations.confirmIfActive(first.id, finish(tick()));
      const before = await levels(sku);
      expect(before).toEqual({ available: 21, reserved: 4, sold: 5 });

      for (const n of [8, 3, 1, 16]) {
        const result = await subject.inventory.updateIfRulesHold(sku, { stockBuckets: n }, tick());
        expect(result).toMatchObject({
          status: 'updated',
          item: { stockBuckets: n, availableQuantity: 21, reservedQuantity: 4, soldQuantity: 5 },
        });
        expect(await levels(sku)).toEqual(before);
        await expectSpread(sku, n);
        expect(await consistent(sku)).toBe(true);
      }
      await subject.reservations.cancelIfActive(second.id, finish(tick()));
      expect(await levels(sku)).toEqual({ available: 25, reserved: 0, sold: 5 });
      await subject.inventory.updateIfRulesHold(sku, { stockBuckets: 1 }, tick());
      const held = await reserve([{ sku, quantity: 2 }]);
      await subject.inventory.updateIfRulesHold(sku, { stockBuckets: 5 }, tick());
      await subject.reservations.confirmIfActive(held.id, finish(tick()));
      expect(await levels(sku)).toEqual({ available: 23, reserved: 0, sold: 7 });
      await expectSpread(sku, 5);
      expect(await consistent(sku)).toBe(true);
    });

    it('should apply an admin change of quantities to a bucketed SKU, and refuse one that breaks a rule leaving it as it was', async () => {
      const sku = await bucketed(20, 4);
      await reserve([{ sku, quantity: 6 }]);
      const updated = await subject.inventory.updateIfRulesHold(sku, { totalQuantity: 30, availableQuantity: 22 }, tick(), {
        actor: 'key-admin',
        reason: 'delivery',
      });
      expect(updated).toMatchObject({
        status: 'updated',
        item: { totalQuantity: 30, availableQuantity: 22, reservedQuantity: 6, stockBuckets: 4 },
      });
      await expectSpread(sku, 4);
      expect(await subject.inventory.updateIfRulesHold(sku, { availableQuantity: 25 }, tick())).toMatchObject({ status: 'rule_broken' });
      expect(await levels(sku)).toEqual({ available: 22, reserved: 6, sold: 0 });
      await expectSpread(sku, 4);
      expect(await consistent(sku)).toBe(true);
    });

    it('should refuse to delete a bucketed SKU while units are held, then delete it', async () => {
      const sku = await bucketed(10, 4);
      const held = await reserve([{ sku, quantity: 3 }]);
      expect(await subject.inventory.deleteIfNoActiveReservations(sku, tick())).toEqual({
        status: 'has_active_reservations',
        reservedQuantity: 3,
      });
      await expectSpread(sku, 4);
      await subject.reservations.cancelIfActive(held.id, finish(tick()));
      expect(await subject.inventory.deleteIfNoActiveReservations(sku, tick())).toEqual({ status: 'deleted' });
      expect(await subject.inventory.findBySku(sku)).toBeNull();
      expect((await rowsOf(sku))?.buckets ?? []).toEqual([]);
    });
  });

  describe('events', () => {
    it('should fire low_stock on the crossing with the whole stock in the item', async () => {
      const sku = await bucketed(16, 8, { lowStockThreshold: 10 });
      await reserve([{ sku, quantity: 6 }]);
      await feedSettled(subject);
      const { cursor } = await readToEnd(subject.events, null);
      const crossing = await reserve([{ sku, quantity: 1 }]);
      await feedSettled(subject);
      const read = await readToEnd(subject.events, cursor);
      const mine = read.events.filter((event) =>
        'item' in event.data ? event.data.item.sku === sku : event.data.reservation.reservationId === crossing.id,
      );
      expect(mine.map((event) => event.type)).toEqual(['reservation.created', 'inventory.low_stock']);
      expect(mine[1].data).toMatchObject({ item: { sku, availableQuantity: 9, reservedQuantity: 7, stockBuckets: 8 } });
    });
  });
});
