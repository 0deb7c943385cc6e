import {
  DomainEvent,
  EventType,
  HoldFinish,
  holdSnapshot,
  InvalidCursorError,
  itemSnapshot,
  movementSnapshot,
  StockMovement,
} from '@app/core';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';
import { feedSettled, forwardClock, newHold, newItem, readToEnd, skusInOrder } from './ledger-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describeEachSubject('Event feed contract', (subjectName) => {
  let subject: RepositorySubject;
  const tick = forwardClock();
  const finish = (now: Date): HoldFinish => ({ now, retainUntil: new Date(now.getTime() + 3_600_000) });
  let cursor: string | null = null;

  beforeAll(async () => {
    subject = await openSubject(subjectName);
  });
  afterAll(() => subject.close());
  beforeEach(async () => {
    await feedSettled(subject);
    cursor = (await readToEnd(subject.events, cursor)).cursor;
  });

  /** The events written since the last read, in feed order. */
  const newEvents = async () => {
    await feedSettled(subject);
    const read = await readToEnd(subject.events, cursor);
    cursor = read.cursor;
    return read.events;
  };
  const latestMovement = async (sku: string): Promise<StockMovement> => (await subject.ledger.movementsOf(sku, 1, null))[0];
  const item = async (sku: string) => (await subject.inventory.findBySku(sku))!;
  const event = (type: EventType, timestamp: Date, data: DomainEvent['data']): DomainEvent => ({
    id: expect.stringMatching(UUID) as string,
    type,
    timestamp,
    data,
  });
  /** The item's event with the item as it is now and its latest movement (or none). */
  const itemEvent = async (type: EventType, sku: string, timestamp: Date, withMovement = true) =>
    event(type, timestamp, {
      item: itemSnapshot(await item(sku)),
      movement: withMovement ? movementSnapshot(await latestMovement(sku)) : null,
    });
  /** The hold's event with the hold as it is now and the latest movement of each of `skus`. */
  const holdEvent = async (type: EventType, id: string, timestamp: Date, skus: string[]) =>
    event(type, timestamp, {
      reservation: holdSnapshot((await subject.reservations.findById(id))!),
      movements: await Promise.all(skus.map(async (sku) => movementSnapshot(await latestMovement(sku)))),
    });
  const reserve = async (lines: { sku: string; quantity: number }[], at: Date) => {
    const result = await subject.reservations.tryReserve(newHold(lines, at));
    if (result.status !== 'reserved') throw new Error(`expected a hold, got ${result.status}`);
    return result.reservation;
  };

  describe('what each change tells', () => {
    it("should tell an item's creation, adjustment, rename and deletion with the item and its movement", async () => {
      const [sku] = skusInOrder(1);
      const created = tick();
      await subject.inventory.insert(newItem(sku, 10), created, { actor: 'key-admin' });
      const expected = [await itemEvent('inventory.created', sku, created)];
      const adjusted = tick();
      await subject.inventory.updateIfRulesHold(sku, { totalQuantity: 12, availableQuantity: 9 }, adjusted, {
        actor: 'key-admin',
        reason: 'count',
      });
      expected.push(await itemEvent('inventory.updated', sku, adjusted));
      const renamed = tick();
      await subject.inventory.updateIfRulesHold(sku, { productName: 'Renamed', lowStockThreshold: 2 }, renamed);
      expected.push(await itemEvent('inventory.updated', sku, renamed, false));
      const before = itemSnapshot(await item(sku));
      const deleted = tick();
      await subject.inventory.deleteIfNoActiveReservations(sku, deleted, { actor: 'key-admin' });
      expected.push(event('inventory.deleted', deleted, { item: before, movement: movementSnapshot(await latestMovement(sku)) }));
      const events = await newEvents();
      expect(events).toEqual(expected);
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    });

    it('should tell each SKU of a bulk create', async () => {
      const [a, b] = skusInOrder(2);
      const at = tick();
      await subject.inventory.insertManySkippingExisting([newItem(b, 3), newItem(a, 4)], at);
      const events = await newEvents();
      const bySku = (e: DomainEvent) => ('item' in e.data ? e.data.item.sku : '');
      expect([...events].sort((x, y) => (bySku(x) < bySku(y) ? -1 : 1))).toEqual([
        await itemEvent('inventory.created', a, at),
        await itemEvent('inventory.created', b, at),
      ]);
    });

    it('should tell each change of a hold with the hold after it and its movements, one per SKU', async () => {
      const [a, b] = skusInOrder(2);
      for (const sku of [a, b]) await subject.inventory.insert(newItem(sku, 20), tick());
      await newEvents();
      const both = [a, b];
      const lines = [
        { sku: b, quantity: 2 },
        { sku: a, quantity: 3 },
      ];
      const expected: DomainEvent[] = [];

      const reservedAt = tick();
      const hold = await reserve(lines, reservedAt);
      expected.push(await holdEvent('reservation.created', hold.id, reservedAt, both));
      const extendedAt = tick();
      await subject.reservations.extendIfActive(hold.id, 60, 3600, extendedAt);
      expected.push(await holdEvent('reservation.extended', hold.id, extendedAt, []));
      const releasedAt = tick();
      await subject.reservations.releaseIfActive(hold.id, [{ sku: a, quantity: 1 }], finish(releasedAt), { actor: 'key-shop' });
      expected.push(await holdEvent('reservation.released', hold.id, releasedAt, [a]));
      const confirmedAt = tick();
      await subject.reservations.confirmIfActive(hold.id, finish(confirmedAt), { actor: 'key-shop' });
      expected.push(await holdEvent('reservation.confirmed', hold.id, confirmedAt, both));
      expect(await newEvents()).toEqual(expected);
      expected.length = 0;

      const cancelled = await reserve(lines, tick());
      const releasedAll = await reserve(lines, tick());
      const expiring = await reserve(lines, tick());
      const swept = await reserve([{ sku: b, quantity: 1 }], tick());
      expect(await newEvents()).toHaveLength(4);
      const cancelledAt = tick();
      await subject.reservations.cancelIfActive(cancelled.id, finish(cancelledAt));
      expected.push(await holdEvent('reservation.cancelled', cancelled.id, cancelledAt, both));
      const releasedAllAt = tick();
      await subject.reservations.releaseIfActive(releasedAll.id, releasedAll.items, finish(releasedAllAt));
      expected.push(await holdEvent('reservation.cancelled', releasedAll.id, releasedAllAt, both));
      const expiredAt = tick(301);
      await subject.reservations.expireIfDue(expiring.id, finish(expiredAt));
      expected.push(await holdEvent('reservation.expired', expiring.id, expiredAt, both));
      const sweptAt = tick();
      expect(await subject.reservations.expireDue(finish(sweptAt), 10, [b])).toBe(1);
      expected.push(await holdEvent('reservation.expired', swept.id, sweptAt, [b]));

      expect(await newEvents()).toEqual(expected);
    });
  });

  describe('threshold events', () => {
    it('should fire low_stock on the crossing only, out_of_stock at 0 and back_in_stock when leaving 0', async () => {
      const [sku] = skusInOrder(1);
      await subject.inventory.insert(newItem(sku, 5, { lowStockThreshold: 3 }), tick());
      await newEvents();
      const types = async () => (await newEvents()).map((e) => e.type);

      const two = await reserve([{ sku, quantity: 2 }], tick());
      expect(await types()).toEqual(['reservation.created']);

      const crossing = tick();
      const first = await reserve([{ sku, quantity: 1 }], crossing);
      const lowStock = await itemEvent('inventory.low_stock', sku, crossing);
      expect(await newEvents()).toEqual([await holdEvent('reservation.created', first.id, crossing, [sku]), lowStock]);

      const second = await reserve([{ sku, quantity: 1 }], tick());
      expect(await types()).toEqual(['reservation.created']);

      const emptied = tick();
      await reserve([{ sku, quantity: 1 }], emptied);
      expect((await newEvents())[1]).toEqual(await itemEvent('inventory.out_of_stock', sku, emptied));

      const back = tick();
      await subject.reservations.cancelIfActive(first.id, finish(back));
      expect(await newEvents()).toEqual([
        await holdEvent('reservation.cancelled', first.id, back, [sku]),
        await itemEvent('inventory.back_in_stock', sku, back),
      ]);

      await subject.reservations.cancelIfActive(two.id, finish(tick()));
      expect(await types()).toEqual(['reservation.cancelled']);

      const zeroed = tick();
      await subject.inventory.updateIfRulesHold(sku, { availableQuantity: 0 }, zeroed);
      const movement = movementSnapshot(await latestMovement(sku));
      const after = itemSnapshot(await item(sku));
      expect(await newEvents()).toEqual([
        event('inventory.updated', zeroed, { item: after, movement }),
        event('inventory.low_stock', zeroed, { item: after, movement }),
        event('inventory.out_of_stock', zeroed, { item: after, movement }),
      ]);

      const expiredAt = tick(301);
      await subject.reservations.expireIfDue(second.id, finish(expiredAt));
      expect(await types()).toEqual(['reservation.expired', 'inventory.back_in_stock']);
    });

    it('should fire no low_stock without a threshold, and none on creation or deletion', async () => {
      const [sku] = skusInOrder(1);
      await subject.inventory.insert(newItem(sku, 2), tick());
      await subject.inventory.insert(newItem(`${sku}-low`, 2, { availableQuantity: 1, lowStockThreshold: 5 }), tick());
      const hold = await reserve([{ sku, quantity: 1 }], tick());
      await subject.reservations.confirmIfActive(hold.id, finish(tick()));
      await subject.inventory.deleteIfNoActiveReservations(sku, tick());
      expect((await newEvents()).map((e) => e.type)).toEqual([
        'inventory.created',
        'inventory.created',
        'reservation.created',
        'reservation.confirmed',
        'inventory.deleted',
      ]);
    });

    it("should tell the hold's event first, then each SKU's crossings in SKU order", async () => {
      const [a, b, c] = skusInOrder(3);
      for (const sku of [a, b, c]) await subject.inventory.insert(newItem(sku, 2, { lowStockThreshold: 2 }), tick());
      await newEvents();
      const at = tick();
      const hold = await reserve(
        [
          { sku: c, quantity: 1 },
          { sku: b, quantity: 1 },
          { sku: a, quantity: 2 },
        ],
        at,
      );
      expect(await newEvents()).toEqual([
        await holdEvent('reservation.created', hold.id, at, [a, b, c]),
        await itemEvent('inventory.low_stock', a, at),
        await itemEvent('inventory.out_of_stock', a, at),
        await itemEvent('inventory.low_stock', b, at),
        await itemEvent('inventory.low_stock', c, at),
      ]);
    });
  });

  describe('reading', () => {
    it('should read on from each cursor without repeating or skipping, at most `limit` at a time', async () => {
      const [sku] = skusInOrder(1);
      await subject.inventory.insert(newItem(sku, 50), tick());
      for (let total = 51; total <= 57; total++) await subject.inventory.updateIfRulesHold(sku, { totalQuantity: total }, tick());
      const start = cursor;
      await feedSettled(subject);
      const whole = await readToEnd(subject.events, start, 100);
      expect(whole.events).toHaveLength(8);
      const paged = await readToEnd(subject.events, start, 3);
      expect(paged.events.map((e) => e.id)).toEqual(whole.events.map((e) => e.id));
      const firstTwo = await subject.events.readAfter(start, 2);
      expect(firstTwo.events).toEqual(whole.events.slice(0, 2));
      expect((await subject.events.readAfter(firstTwo.nextCursor, 1)).events).toEqual(whole.events.slice(2, 3));
      cursor = whole.cursor;
    });

    it('should answer an empty page with the cursor it was given at the end of the feed', async () => {
      expect(await subject.events.readAfter(cursor, 5)).toEqual({ events: [], nextCursor: cursor });
    });

    it('should read from the first event kept with no cursor', async () => {
      const page = await subject.events.readAfter(null, 1);
      expect(page.events).toHaveLength(1);
      expect(page.nextCursor).not.toBeNull();
    });

    it('should never repeat or skip an event while writes run concurrently with the reads', async () => {
      const skus = skusInOrder(4);
      for (const sku of skus) await subject.inventory.insert(newItem(sku, 100), tick());
      await newEvents();
      const read: DomainEvent[] = [];
      let writing = true;
      const reader = (async () => {
        while (writing) {
          const page = await subject.events.readAfter(cursor, 2);
          read.push(...page.events);
          cursor = page.nextCursor;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const at = tick();
      const holds = await Promise.all(
        Array.from({ length: 16 }, (_, index) =>
          reserve(
            [
              { sku: skus[index % 4], quantity: 1 },
              { sku: skus[(index + 1) % 4], quantity: 1 },
            ].sort((x, y) => (x.sku < y.sku ? -1 : 1)),
            at,
          ),
        ),
      );
      writing = false;
      await reader;
      read.push(...(await newEvents()));
      expect(new Set(read.map((e) => e.id)).size).toBe(read.length);
      expect(read.map((e) => e.type)).toEqual(holds.map(() => 'reservation.created'));
      expect(new Set(read.map((e) => ('reservation' in e.data ? e.data.reservation.reservationId : '')))).toEqual(
        new Set(holds.map((hold) => hold.id)),
      );
    });

    it.each([
      ['garbage', 'not a cursor'],
      ['a ledger cursor', Buffer.from('m:12').toString('base64url')],
      ['JSON', Buffer.from('{"after":1}').toString('base64url')],
    ])('should refuse a cursor it did not issue (%s) with InvalidCursorError', async (_label, foreign) => {
      await expect(subject.events.readAfter(foreign, 5)).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
});
