import { HoldFinish, isConsistent, MovementType, StockMovement } from '@app/core';
import { sql } from 'drizzle-orm';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';
import { uniqueSku } from '../support/unique';
import { feedSettled, forwardClock, newHold, newItem, readToEnd, skusInOrder } from './ledger-fixtures';

describeEachSubject('Stock ledger contract', (subjectName) => {
  let subject: RepositorySubject;
  const tick = forwardClock();
  const finish = (now: Date): HoldFinish => ({ now, retainUntil: new Date(now.getTime() + 3_600_000) });

  beforeAll(async () => {
    subject = await openSubject(subjectName);
  });
  afterAll(() => subject.close());

  /** Where the feed ends once every event written so far shows, and then whether anything was written after it. */
  const feedEnd = async () => {
    await feedSettled(subject);
    return (await readToEnd(subject.events, null)).cursor;
  };
  const eventsAfter = async (cursor: string | null) => {
    await feedSettled(subject);
    return (await readToEnd(subject.events, cursor)).events;
  };
  /** The SKU's movements oldest first. */
  const history = async (sku: string) => (await subject.ledger.movementsOf(sku, 1000, null)).reverse();
  /** The movements appended since `before` (a history length). */
  const since = async (sku: string, before: number) => (await history(sku)).slice(before);
  const movement = (
    sku: string,
    type: MovementType,
    [availableDelta, reservedDelta, soldDelta, totalDelta]: [number, number, number, number],
    at: Date,
    extra: Partial<StockMovement> = {},
  ): StockMovement => ({
    id: expect.any(Number) as number,
    sku,
    type,
    availableDelta,
    reservedDelta,
    soldDelta,
    totalDelta,
    reservationId: null,
    reason: null,
    actor: null,
    at,
    ...extra,
  });
  /** The ledger sums equal the counters, which agree with the holds. */
  const expectBalanced = async (...skus: string[]) => {
    for (const sku of skus) {
      const reconciliation = (await subject.reservations.reconcile(sku))!;
      const { totalQuantity, availableQuantity, reservedQuantity, soldQuantity } = reconciliation;
      expect(reconciliation.ledger).toEqual({ totalQuantity, availableQuantity, reservedQuantity, soldQuantity });
      expect(isConsistent(reconciliation)).toBe(true);
    }
  };
  const reserve = async (lines: { sku: string; quantity: number }[], at: Date, clientId = 'key-client') => {
    const result = await subject.reservations.tryReserve(newHold(lines, at, { clientId }));
    if (result.status !== 'reserved') throw new Error(`expected a hold, got ${result.status}`);
    return result.reservation;
  };

  describe('inventory changes', () => {
    it('should append a created movement of the new counters, with the actor', async () => {
      const sku = uniqueSku();
      const at = tick();
      await subject.inventory.insert(newItem(sku, 10, { availableQuantity: 7 }), at, { actor: 'key-admin' });
      expect(await history(sku)).toEqual([movement(sku, 'created', [7, 0, 0, 10], at, { actor: 'key-admin' })]);
      await expectBalanced(sku);
    });

    it('should append one created movement per SKU of a bulk create, none for an existing SKU', async () => {
      const [existing, a, b] = skusInOrder(3);
      await subject.inventory.insert(newItem(existing, 1), tick());
      const at = tick();
      await subject.inventory.insertManySkippingExisting(
        [newItem(a, 4), newItem(existing, 9), newItem(b, 5, { availableQuantity: 2 })],
        at,
        {
          actor: 'key-bulk',
        },
      );
      expect(await history(a)).toEqual([movement(a, 'created', [4, 0, 0, 4], at, { actor: 'key-bulk' })]);
      expect(await history(b)).toEqual([movement(b, 'created', [2, 0, 0, 5], at, { actor: 'key-bulk' })]);
      expect(await history(existing)).toHaveLength(1);
      await expectBalanced(existing, a, b);
    });

    it("should append an adjusted movement of the counters' differences, with the reason and the actor", async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 10), tick());
      const at = tick();
      await subject.inventory.updateIfRulesHold(sku, { totalQuantity: 12, availableQuantity: 8 }, at, {
        actor: 'key-admin',
        reason: 'stocktake: 2 broken',
      });
      expect(await since(sku, 1)).toEqual([
        movement(sku, 'adjusted', [-2, 0, 0, 2], at, { actor: 'key-admin', reason: 'stocktake: 2 broken' }),
      ]);
      await expectBalanced(sku);
    });

    it('should append no movement for a change of other fields only, nor for a refused change', async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 10), tick());
      await subject.inventory.updateIfRulesHold(sku, { productName: 'Renamed', maxPerCustomer: 2, lowStockThreshold: 3 }, tick());
      await subject.inventory.updateIfRulesHold(sku, { totalQuantity: 10, availableQuantity: 10 }, tick());
      expect(await subject.inventory.updateIfRulesHold(sku, { totalQuantity: 5 }, tick(), { actor: 'x', reason: 'no' })).toMatchObject({
        status: 'rule_broken',
      });
      expect(await history(sku)).toEqual([expect.objectContaining({ type: 'created' })]);
      await expectBalanced(sku);
    });

    it('should append a deleted movement taking every counter to 0, and keep the history of the deleted SKU', async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 10), tick());
      const sold = await reserve([{ sku, quantity: 3 }], tick());
      await subject.reservations.confirmIfActive(sold.id, finish(tick()));
      const at = tick();
      expect(await subject.inventory.deleteIfNoActiveReservations(sku, at, { actor: 'key-admin' })).toEqual({ status: 'deleted' });
      expect(await since(sku, 3)).toEqual([movement(sku, 'deleted', [-7, 0, -3, -10], at, { actor: 'key-admin' })]);
      expect((await history(sku)).map((m) => m.type)).toEqual(['created', 'reserved', 'confirmed', 'deleted']);
    });

    it('should balance a SKU created again after its deletion', async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 10), tick());
      await subject.inventory.deleteIfNoActiveReservations(sku, tick());
      await subject.inventory.insert(newItem(sku, 4), tick());
      expect((await history(sku)).map((m) => m.type)).toEqual(['created', 'deleted', 'created']);
      await expectBalanced(sku);
    });
  });

  describe('hold changes', () => {
    it("should append one reserved movement per SKU of a cart, with the hold's id and its client as actor", async () => {
      const [a, b, c] = skusInOrder(3);
      for (const sku of [a, b, c]) await subject.inventory.insert(newItem(sku, 10), tick());
      const at = tick();
      const hold = await reserve(
        [
          { sku: c, quantity: 1 },
          { sku: a, quantity: 2 },
        ],
        at,
        'key-shop',
      );
      const extra = { reservationId: hold.id, actor: 'key-shop' };
      expect(await since(a, 1)).toEqual([movement(a, 'reserved', [-2, 2, 0, 0], at, extra)]);
      expect(await since(c, 1)).toEqual([movement(c, 'reserved', [-1, 1, 0, 0], at, extra)]);
      expect(await history(b)).toHaveLength(1);
      await expectBalanced(a, b, c);
    });

    it('should name no actor for an anonymous hold', async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 10), tick());
      const at = tick();
      const hold = await reserve([{ sku, quantity: 1 }], at, 'anonymous');
      expect(await since(sku, 1)).toEqual([movement(sku, 'reserved', [-1, 1, 0, 0], at, { reservationId: hold.id })]);
    });

    it('should append released movements for a partial release, and cancelled ones when the rest is released', async () => {
      const [a, b] = skusInOrder(2);
      for (const sku of [a, b]) await subject.inventory.insert(newItem(sku, 10), tick());
      const hold = await reserve(
        [
          { sku: a, quantity: 4 },
          { sku: b, quantity: 2 },
        ],
        tick(),
      );
      const partly = tick();
      await subject.reservations.releaseIfActive(hold.id, [{ sku: a, quantity: 1 }], finish(partly), { actor: 'key-shop' });
      expect(await since(a, 2)).toEqual([movement(a, 'released', [1, -1, 0, 0], partly, { reservationId: hold.id, actor: 'key-shop' })]);
      expect(await since(b, 2)).toEqual([]);
      await expectBalanced(a, b);
      const rest = tick();
      const result = await subject.reservations.releaseIfActive(
        hold.id,
        [
          { sku: a, quantity: 3 },
          { sku: b, quantity: 2 },
        ],
        finish(rest),
        { actor: 'key-shop' },
      );
      expect(result).toMatchObject({ status: 'released', reservation: { status: 'CANCELLED' } });
      expect(await since(a, 3)).toEqual([movement(a, 'cancelled', [3, -3, 0, 0], rest, { reservationId: hold.id, actor: 'key-shop' })]);
      expect(await since(b, 2)).toEqual([movement(b, 'cancelled', [2, -2, 0, 0], rest, { reservationId: hold.id, actor: 'key-shop' })]);
      await expectBalanced(a, b);
    });

    it('should append cancelled and confirmed movements per SKU, with the actor of the context', async () => {
      const [a, b] = skusInOrder(2);
      for (const sku of [a, b]) await subject.inventory.insert(newItem(sku, 10), tick());
      const lines = [
        { sku: a, quantity: 1 },
        { sku: b, quantity: 3 },
      ];
      const cancelled = await reserve(lines, tick());
      const confirmed = await reserve(lines, tick());
      const cancelAt = tick();
      await subject.reservations.cancelIfActive(cancelled.id, finish(cancelAt), { actor: 'key-shop' });
      const confirmAt = tick();
      await subject.reservations.confirmIfActive(confirmed.id, finish(confirmAt), { actor: 'key-pay' });
      expect(await since(b, 3)).toEqual([
        movement(b, 'cancelled', [3, -3, 0, 0], cancelAt, { reservationId: cancelled.id, actor: 'key-shop' }),
        movement(b, 'confirmed', [0, -3, 3, 0], confirmAt, { reservationId: confirmed.id, actor: 'key-pay' }),
      ]);
      expect((await since(a, 3)).map((m) => [m.type, m.reservedDelta, m.soldDelta])).toEqual([
        ['cancelled', -1, 0],
        ['confirmed', -1, 1],
      ]);
      await expectBalanced(a, b);
    });

    it('should append expired movements with no actor, from a single expiry and from a sweep', async () => {
      const [a, b] = skusInOrder(2);
      for (const sku of [a, b]) await subject.inventory.insert(newItem(sku, 10), tick());
      const single = await reserve([{ sku: a, quantity: 2 }], tick());
      const swept = await reserve(
        [
          { sku: a, quantity: 1 },
          { sku: b, quantity: 1 },
        ],
        tick(),
      );
      const due = new Date(swept.expiresAt.getTime() + 1000);
      expect(await subject.reservations.expireIfDue(single.id, finish(due))).toMatchObject({ status: 'EXPIRED' });
      expect(await subject.reservations.expireDue(finish(due), 10, [a, b])).toBe(1);
      expect(await since(a, 1)).toEqual([
        movement(a, 'reserved', [-2, 2, 0, 0], single.createdAt, { reservationId: single.id, actor: 'key-client' }),
        movement(a, 'reserved', [-1, 1, 0, 0], swept.createdAt, { reservationId: swept.id, actor: 'key-client' }),
        movement(a, 'expired', [2, -2, 0, 0], due, { reservationId: single.id }),
        movement(a, 'expired', [1, -1, 0, 0], due, { reservationId: swept.id }),
      ]);
      expect(await since(b, 2)).toEqual([movement(b, 'expired', [1, -1, 0, 0], due, { reservationId: swept.id })]);
      await expectBalanced(a, b);
    });

    it('should append no movement for an extension or a refused change', async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 3), tick());
      const hold = await reserve([{ sku, quantity: 2 }], tick());
      expect(await subject.reservations.extendIfActive(hold.id, 60, 3600, tick(), { actor: 'key-shop' })).not.toBeNull();
      expect(await subject.reservations.releaseIfActive(hold.id, [{ sku, quantity: 3 }], finish(tick()))).toMatchObject({
        status: 'exceeds',
      });
      expect((await subject.reservations.tryReserve(newHold([{ sku, quantity: 2 }], tick()))).status).toBe('insufficient');
      await subject.reservations.confirmIfActive(hold.id, finish(tick()));
      expect(await subject.reservations.cancelIfActive(hold.id, finish(tick()))).toBeNull();
      expect((await history(sku)).map((m) => m.type)).toEqual(['created', 'reserved', 'confirmed']);
      await expectBalanced(sku);
    });
  });

  describe('the ledger as a whole', () => {
    it('should number the movements of a SKU in increasing order and keep the sums equal to the counters after every step', async () => {
      const [a, b] = skusInOrder(2);
      await subject.inventory.insert(newItem(a, 20), tick());
      await subject.inventory.insert(newItem(b, 5), tick());
      await expectBalanced(a, b);
      const steps: (() => Promise<unknown>)[] = [
        () =>
          reserve(
            [
              { sku: a, quantity: 5 },
              { sku: b, quantity: 5 },
            ],
            tick(),
          ),
        () => subject.inventory.updateIfRulesHold(a, { totalQuantity: 25, availableQuantity: 18 }, tick()),
        () => reserve([{ sku: a, quantity: 7 }], tick()).then((hold) => subject.reservations.confirmIfActive(hold.id, finish(tick()))),
        () => reserve([{ sku: a, quantity: 1 }], tick()).then((hold) => subject.reservations.cancelIfActive(hold.id, finish(tick()))),
        () => subject.inventory.updateIfRulesHold(b, { totalQuantity: 9 }, tick()),
      ];
      for (const step of steps) {
        await step();
        await expectBalanced(a, b);
      }
      for (const sku of [a, b]) {
        const ids = (await history(sku)).map((m) => m.id);
        expect(ids).toEqual([...ids].sort((x, y) => x - y));
        expect(new Set(ids).size).toBe(ids.length);
      }
    });

    it('should keep the ledger balanced under concurrent holds, releases and adjustments of the same SKUs', async () => {
      const [a, b] = skusInOrder(2);
      for (const sku of [a, b]) await subject.inventory.insert(newItem(sku, 30), tick());
      const at = tick();
      await Promise.all(
        Array.from({ length: 12 }, async (_, index) => {
          const result = await subject.reservations.tryReserve(
            newHold(
              [
                { sku: a, quantity: 2 },
                { sku: b, quantity: 1 + (index % 3) },
              ],
              at,
            ),
          );
          if (result.status !== 'reserved') return;
          if (index % 3 === 0) await subject.reservations.cancelIfActive(result.reservation.id, finish(at));
          if (index % 3 === 1) await subject.reservations.confirmIfActive(result.reservation.id, finish(at));
          if (index % 4 === 0) await subject.inventory.updateIfRulesHold(a, { productName: `round ${index}` }, at);
        }),
      );
      await expectBalanced(a, b);
    });

    it('should page movements newest first: at most `limit`, only below `beforeId`', async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 10), tick());
      for (let total = 11; total <= 14; total++) await subject.inventory.updateIfRulesHold(sku, { totalQuantity: total }, tick());
      const all = await subject.ledger.movementsOf(sku, 100, null);
      expect(all.map((m) => m.totalDelta)).toEqual([1, 1, 1, 1, 10]);
      expect(await subject.ledger.movementsOf(sku, 2, null)).toEqual(all.slice(0, 2));
      expect(await subject.ledger.movementsOf(sku, 2, all[1].id)).toEqual(all.slice(2, 4));
      expect(await subject.ledger.movementsOf(sku, 10, all[4].id)).toEqual([]);
      expect(await subject.ledger.movementsOf(uniqueSku('NONE'), 10, null)).toEqual([]);
    });
  });

  describe('nothing half done', () => {
    it('should leave no movement and no event when a cart is refused for one short line', async () => {
      const [a, b] = skusInOrder(2);
      await subject.inventory.insert(newItem(a, 10), tick());
      await subject.inventory.insert(newItem(b, 1), tick());
      const cursor = await feedEnd();
      const refused = await subject.reservations.tryReserve(
        newHold(
          [
            { sku: a, quantity: 3 },
            { sku: b, quantity: 2 },
          ],
          tick(),
        ),
      );
      expect(refused.status).toBe('insufficient');
      const capped = await subject.reservations.tryReserve(newHold([{ sku: a, quantity: 3 }], tick()), 2);
      expect(capped.status).toBe('customer_limit');
      expect(await history(a)).toHaveLength(1);
      expect(await history(b)).toHaveLength(1);
      expect(await eventsAfter(cursor)).toEqual([]);
      await expectBalanced(a, b);
    });

    it('should leave no movement and no event when an adjustment is refused by a stock rule or a delete by held units', async () => {
      const sku = uniqueSku();
      await subject.inventory.insert(newItem(sku, 10), tick());
      await reserve([{ sku, quantity: 4 }], tick());
      const cursor = await feedEnd();
      expect(await subject.inventory.updateIfRulesHold(sku, { availableQuantity: 7, productName: 'x' }, tick())).toMatchObject({
        status: 'rule_broken',
      });
      expect(await subject.inventory.deleteIfNoActiveReservations(sku, tick())).toMatchObject({ status: 'has_active_reservations' });
      expect(await history(sku)).toHaveLength(2);
      expect(await eventsAfter(cursor)).toEqual([]);
      expect(await subject.inventory.findBySku(sku)).toMatchObject({ productName: 'Item', availableQuantity: 6 });
    });

    if (subjectName === 'pglite' || subjectName === 'postgres') {
      /** Runs `body` while `table` refuses rows matching `refused` (a constraint added for the test, then dropped). */
      const whileRefusing = async (table: string, refused: string, body: () => Promise<void>) => {
        const name = `test_forced_failure_${Math.random().toString(36).slice(2, 8)}`;
        await subject.handle!.db.execute(sql.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${name} CHECK (NOT (${refused})) NOT VALID`));
        try {
          await body();
        } finally {
          await subject.handle!.db.execute(sql.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${name}`));
        }
      };

      it('should roll the adjustment back when its movement cannot be written', async () => {
        const sku = uniqueSku();
        const item = await subject.inventory.insert(newItem(sku, 10), tick());
        const cursor = await feedEnd();
        await whileRefusing('stock_movements', `reason = 'forced failure'`, async () => {
          await expect(
            subject.inventory.updateIfRulesHold(sku, { totalQuantity: 12, availableQuantity: 12 }, tick(), {
              actor: 'key-admin',
              reason: 'forced failure',
            }),
          ).rejects.toThrow();
        });
        expect(await subject.inventory.findBySku(sku)).toEqual(item);
        expect(await history(sku)).toHaveLength(1);
        expect(await eventsAfter(cursor)).toEqual([]);
        await expectBalanced(sku);
      });

      it('should roll a confirmation and its movements back when its event cannot be written', async () => {
        const [a, b] = skusInOrder(2);
        for (const sku of [a, b]) await subject.inventory.insert(newItem(sku, 10), tick());
        const hold = await reserve(
          [
            { sku: a, quantity: 2 },
            { sku: b, quantity: 1 },
          ],
          tick(),
        );
        const before = [await subject.inventory.findBySku(a), await subject.inventory.findBySku(b)];
        const cursor = await feedEnd();
        await whileRefusing('outbox_events', `type = 'reservation.confirmed'`, async () => {
          await expect(subject.reservations.confirmIfActive(hold.id, finish(tick()))).rejects.toThrow();
        });
        expect(await subject.reservations.findById(hold.id)).toEqual(hold);
        expect([await subject.inventory.findBySku(a), await subject.inventory.findBySku(b)]).toEqual(before);
        expect((await history(a)).map((m) => m.type)).toEqual(['created', 'reserved']);
        expect((await history(b)).map((m) => m.type)).toEqual(['created', 'reserved']);
        expect(await eventsAfter(cursor)).toEqual([]);
        await expectBalanced(a, b);
      });

      it('should roll a cart back, hold and stock and movements, when its threshold event cannot be written', async () => {
        const [a, b] = skusInOrder(2);
        await subject.inventory.insert(newItem(a, 10), tick());
        await subject.inventory.insert(newItem(b, 3, { lowStockThreshold: 2 }), tick());
        const cursor = await feedEnd();
        const request = newHold(
          [
            { sku: a, quantity: 2 },
            { sku: b, quantity: 2 },
          ],
          tick(),
        );
        await whileRefusing('outbox_events', `type = 'inventory.low_stock'`, async () => {
          await expect(subject.reservations.tryReserve(request)).rejects.toThrow();
        });
        expect(await subject.reservations.findById(request.id)).toBeNull();
        expect(await subject.inventory.findBySku(a)).toMatchObject({ availableQuantity: 10, reservedQuantity: 0 });
        expect(await subject.inventory.findBySku(b)).toMatchObject({ availableQuantity: 3, reservedQuantity: 0 });
        expect(await history(a)).toHaveLength(1);
        expect(await history(b)).toHaveLength(1);
        expect(await eventsAfter(cursor)).toEqual([]);
        await expectBalanced(a, b);
      });
    }
  });
});
