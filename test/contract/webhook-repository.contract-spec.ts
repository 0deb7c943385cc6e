import {
  AttemptOutcome,
  AttemptResult,
  ClaimedDelivery,
  DomainEvent,
  HoldFinish,
  newWebhookSecret,
  WebhookEndpoint,
  WebhookEventFilter,
  WebhookRepository,
} from '@app/core';
import { randomUUID } from 'node:crypto';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';
import { feedSettled, forwardClock, newHold, newItem, readToEnd, skusInOrder } from './ledger-fixtures';

describeEachSubject('WebhookRepository contract', (subjectName) => {
  let subject: RepositorySubject;
  let repo: WebhookRepository;
  const tick = forwardClock();
  const finish = (now: Date): HoldFinish => ({ now, retainUntil: new Date(now.getTime() + 3_600_000) });
  let feedCursor: string | null = null;
  const created: string[] = [];

  beforeAll(async () => {
    subject = await openSubject(subjectName);
    repo = subject.webhooks;
  });
  afterAll(() => subject.close());
  // Every test starts with no endpoint and every earlier event fanned out (to nobody), so it sees only its own deliveries.
  beforeEach(async () => {
    await feedSettled(subject);
    while ((await repo.fanOut(tick(), 1000)) > 0);
    feedCursor = (await readToEnd(subject.events, feedCursor)).cursor;
  });
  afterEach(async () => {
    for (const id of created.splice(0)) await repo.delete(id);
  });

  const endpoint = async (events: WebhookEventFilter[] = ['*'], createdAt = tick()): Promise<WebhookEndpoint> => {
    const id = randomUUID();
    created.push(id);
    return repo.create({ id, url: `https://hooks.example.com/${id}`, events, description: null, secret: newWebhookSecret(), createdAt });
  };
  /** The events written since the last call, in feed order. */
  const newEvents = async (): Promise<DomainEvent[]> => {
    await feedSettled(subject);
    const read = await readToEnd(subject.events, feedCursor);
    feedCursor = read.cursor;
    return read.events;
  };
  const createItems = async (count: number) => {
    for (const sku of skusInOrder(count)) await subject.inventory.insert(newItem(sku, 10), tick());
    return newEvents();
  };
  /** Fans out once every event written so far can be read. */
  const fanOut = async (now: Date, limit: number) => {
    await feedSettled(subject);
    return repo.fanOut(now, limit);
  };
  const lease = (now: Date) => new Date(now.getTime() + 30_000);
  const claim = (now: Date, limit = 100) => repo.claimDue(now, lease(now), limit);
  const outcome = (at: Date, result: AttemptResult, statusCode: number | null = 200): AttemptOutcome => ({
    at,
    statusCode,
    error: statusCode === null ? 'timeout' : null,
    durationMs: 25,
    result,
  });
  const eventIds = (claims: ClaimedDelivery[]) => claims.map((c) => c.event.id);

  describe('endpoints', () => {
    it('should create, find, list newest first and delete an endpoint', async () => {
      const first = await endpoint(['inventory.low_stock', 'reservation.created']);
      const second = await endpoint(['*']);
      expect(first).toEqual({
        id: first.id,
        url: `https://hooks.example.com/${first.id}`,
        events: ['inventory.low_stock', 'reservation.created'],
        description: null,
        secret: expect.stringMatching(/^whsec_/) as string,
        createdAt: expect.any(Date) as Date,
        disabledAt: null,
      });
      expect(await repo.findById(first.id)).toEqual(first);
      const described = await repo.create({ ...first, id: randomUUID(), description: 'ERP', createdAt: tick() });
      created.push(described.id);
      expect(described.description).toBe('ERP');
      expect((await repo.list()).map((e) => e.id)).toEqual([described.id, second.id, first.id]);
      expect(await repo.delete(first.id)).toBe(true);
      expect(await repo.delete(first.id)).toBe(false);
      expect(await repo.findById(first.id)).toBeNull();
      expect((await repo.list()).map((e) => e.id)).toEqual([described.id, second.id]);
    });
  });

  describe('fanOut', () => {
    it('should make one delivery per enabled endpoint subscribed to the type (by name or *)', async () => {
      const all = await endpoint(['*']);
      const created = await endpoint(['inventory.created']);
      await endpoint(['reservation.created', 'inventory.deleted']);
      const [event] = await createItems(1);
      const now = tick();
      expect(await repo.fanOut(now, 100)).toBe(1);
      const claims = await claim(now);
      expect(claims.map((c) => c.endpoint.id).sort()).toEqual([all.id, created.id].sort());
      const mine = claims.find((c) => c.endpoint.id === all.id)!;
      expect(mine).toEqual({
        deliveryId: expect.any(String) as string,
        token: expect.any(String) as string,
        endpoint: { id: all.id, url: all.url, secret: all.secret },
        event,
        attempt: 1,
      });
    });

    it('should fan out in feed order, at most `limit` events per call, and each event once', async () => {
      const target = await endpoint();
      const events = await createItems(5);
      expect(await repo.fanOut(tick(), 2)).toBe(2);
      expect(await fanOut(tick(), 100)).toBe(3);
      expect(await fanOut(tick(), 100)).toBe(0);
      const claims = await claim(tick());
      expect(eventIds(claims)).toEqual(events.map((e) => e.id));
      expect(new Set(claims.map((c) => c.endpoint.id))).toEqual(new Set([target.id]));
    });

    it('should fan each event out once when several instances fan out at the same time', async () => {
      await endpoint();
      const events = await createItems(6);
      const now = tick();
      const handled = await Promise.all([repo.fanOut(now, 100), repo.fanOut(now, 100), repo.fanOut(now, 100)]);
      let total = handled.reduce((sum, count) => sum + count, 0);
      // An instance that found the cursor locked skips the round; the next round picks up whatever is left.
      while (total < events.length) {
        const more = await fanOut(tick(), 100);
        expect(more).toBeGreaterThan(0);
        total += more;
      }
      expect(total).toBe(events.length);
      expect(eventIds(await claim(tick())).sort()).toEqual(events.map((e) => e.id).sort());
    });

    it('should make no delivery for an endpoint created after the event was fanned out', async () => {
      await createItems(2);
      expect(await fanOut(tick(), 100)).toBe(2);
      await endpoint();
      expect(await claim(tick())).toEqual([]);
    });
  });

  describe('claimDue', () => {
    it('should never hand the same delivery to two concurrent callers', async () => {
      await endpoint();
      await endpoint();
      const events = await createItems(5);
      await fanOut(tick(), 100);
      const now = tick();
      const claims = (await Promise.all([claim(now, 3), claim(now, 3), claim(now, 3), claim(now, 3)])).flat();
      expect(claims).toHaveLength(2 * events.length);
      expect(new Set(claims.map((c) => c.deliveryId)).size).toBe(claims.length);
      expect(await claim(now)).toEqual([]);
    });

    it('should hand a delivery out again once its lease has lapsed, and ignore the first holder afterwards', async () => {
      await endpoint();
      await createItems(1);
      await fanOut(tick(), 100);
      const now = tick();
      const [first] = await claim(now);
      expect(await claim(new Date(now.getTime() + 29_000))).toEqual([]);
      const lapsed = new Date(now.getTime() + 31_000);
      const [second] = await claim(lapsed);
      expect(second).toMatchObject({ deliveryId: first.deliveryId, attempt: 1 });
      expect(second.token).not.toBe(first.token);
      expect(await repo.recordAttempt(first, outcome(lapsed, { status: 'delivered' }))).toBe(false);
      expect(await repo.recentAttempts(first.endpoint.id, 10)).toEqual([]);
      expect(await repo.recordAttempt(second, outcome(lapsed, { status: 'delivered' }))).toBe(true);
      expect(await repo.recordAttempt(second, outcome(lapsed, { status: 'delivered' }))).toBe(false);
      expect(await claim(new Date(lapsed.getTime() + 3_600_000))).toEqual([]);
    });

    it('should hold back the next event of a hold until the one before it is delivered or given up', async () => {
      const target = await endpoint(['reservation.created', 'reservation.extended', 'reservation.confirmed']);
      const [sku] = skusInOrder(1);
      await subject.inventory.insert(newItem(sku, 10), tick());
      const first = await subject.reservations.tryReserve(newHold([{ sku, quantity: 1 }], tick()));
      const other = await subject.reservations.tryReserve(newHold([{ sku, quantity: 1 }], tick()));
      if (first.status !== 'reserved' || other.status !== 'reserved') throw new Error('expected holds');
      await subject.reservations.extendIfActive(first.reservation.id, 60, 3600, tick());
      await subject.reservations.confirmIfActive(first.reservation.id, finish(tick()));
      await fanOut(tick(), 100);
      const typeAndHold = (claims: ClaimedDelivery[]) =>
        claims.map((c) => [c.event.type, 'reservation' in c.event.data ? c.event.data.reservation.reservationId : null]);

      let now = tick();
      const round1 = await claim(now);
      expect(typeAndHold(round1)).toEqual([
        ['reservation.created', first.reservation.id],
        ['reservation.created', other.reservation.id],
      ]);
      // The first event of the hold fails once: the next of the same hold waits even though it is due.
      const retryAt = new Date(now.getTime() + 60_000);
      await repo.recordAttempt(round1[0], outcome(now, { status: 'retry', nextAttemptAt: retryAt }, 500));
      await repo.recordAttempt(round1[1], outcome(now, { status: 'delivered' }));
      expect(await claim(tick())).toEqual([]);

      now = retryAt;
      const round2 = await claim(now);
      expect(typeAndHold(round2)).toEqual([['reservation.created', first.reservation.id]]);
      expect(round2[0].attempt).toBe(2);
      await repo.recordAttempt(round2[0], outcome(now, { status: 'delivered' }));

      const round3 = await claim(now);
      expect(typeAndHold(round3)).toEqual([['reservation.extended', first.reservation.id]]);
      await repo.recordAttempt(round3[0], outcome(now, { status: 'failed' }, 500));

      const round4 = await claim(now);
      expect(typeAndHold(round4)).toEqual([['reservation.confirmed', first.reservation.id]]);
      expect(round4[0].endpoint.id).toBe(target.id);
    });

    it('should keep the order per endpoint: one endpoint waiting does not hold back another', async () => {
      const slow = await endpoint(['inventory.created', 'inventory.updated']);
      const fast = await endpoint(['inventory.created', 'inventory.updated']);
      const [sku] = skusInOrder(1);
      await subject.inventory.insert(newItem(sku, 10), tick());
      await subject.inventory.updateIfRulesHold(sku, { productName: 'Renamed' }, tick());
      await fanOut(tick(), 100);
      const now = tick();
      const round1 = await claim(now);
      expect(round1.map((c) => [c.endpoint.id, c.event.type]).sort()).toEqual(
        [
          [slow.id, 'inventory.created'],
          [fast.id, 'inventory.created'],
        ].sort(),
      );
      for (const claimed of round1) {
        const result: AttemptResult =
          claimed.endpoint.id === slow.id ? { status: 'retry', nextAttemptAt: new Date(now.getTime() + 600_000) } : { status: 'delivered' };
        await repo.recordAttempt(claimed, outcome(now, result));
      }
      expect((await claim(now)).map((c) => [c.endpoint.id, c.event.type])).toEqual([[fast.id, 'inventory.updated']]);
    });

    it('should make a retried delivery due again at its next attempt time, not before', async () => {
      const target = await endpoint();
      await createItems(1);
      await fanOut(tick(), 100);
      const now = tick();
      const [first] = await claim(now);
      const nextAttemptAt = new Date(now.getTime() + 120_000);
      expect(await repo.recordAttempt(first, outcome(now, { status: 'retry', nextAttemptAt }, null))).toBe(true);
      expect(await claim(new Date(nextAttemptAt.getTime() - 1000))).toEqual([]);
      const [again] = await claim(nextAttemptAt);
      expect(again).toMatchObject({ deliveryId: first.deliveryId, attempt: 2, event: first.event });
      expect(again.endpoint.id).toBe(target.id);
    });
  });

  describe('recordAttempt', () => {
    it('should disable an endpoint that is gone, and hand out none of its other deliveries', async () => {
      const gone = await endpoint();
      const alive = await endpoint();
      await createItems(2);
      await fanOut(tick(), 100);
      const now = tick();
      const claims = await claim(now, 100);
      const goneFirst = claims.find((c) => c.endpoint.id === gone.id)!;
      for (const claimed of claims.filter((c) => c !== goneFirst))
        await repo.recordAttempt(claimed, outcome(now, { status: 'retry', nextAttemptAt: now }, 503));
      expect(await repo.recordAttempt(goneFirst, outcome(now, { status: 'endpoint_gone' }, 410))).toBe(true);
      expect(await repo.findById(gone.id)).toMatchObject({ disabledAt: now });
      const later = await claim(tick());
      expect(later.length).toBeGreaterThan(0);
      expect(later.every((c) => c.endpoint.id === alive.id)).toBe(true);
      await createItems(1);
      await fanOut(tick(), 100);
      expect((await claim(tick())).every((c) => c.endpoint.id === alive.id)).toBe(true);
    });

    it('should keep every attempt, newest first, with its outcome', async () => {
      const target = await endpoint();
      const [event] = await createItems(1);
      await fanOut(tick(), 100);
      const t1 = tick();
      const [first] = await claim(t1);
      const retryAt = tick();
      await repo.recordAttempt(first, {
        at: t1,
        statusCode: null,
        error: 'timeout after 10000 ms',
        durationMs: 10_000,
        result: { status: 'retry', nextAttemptAt: retryAt },
      });
      const [second] = await claim(retryAt);
      const t2 = tick();
      await repo.recordAttempt(second, { at: t2, statusCode: 204, error: null, durationMs: 31, result: { status: 'delivered' } });
      const attempts = await repo.recentAttempts(target.id, 10);
      const common = { deliveryId: first.deliveryId, endpointId: target.id, eventId: event.id, eventType: 'inventory.created' };
      expect(attempts).toEqual([
        { ...common, attempt: 2, statusCode: 204, error: null, durationMs: 31, at: t2, nextRetryAt: null },
        { ...common, attempt: 1, statusCode: null, error: 'timeout after 10000 ms', durationMs: 10_000, at: t1, nextRetryAt: retryAt },
      ]);
      expect(await repo.recentAttempts(target.id, 1)).toEqual(attempts.slice(0, 1));
      expect(await repo.recentAttempts(randomUUID(), 10)).toEqual([]);
    });

    it("should delete an endpoint's deliveries and attempts with it", async () => {
      const target = await endpoint();
      await createItems(2);
      await fanOut(tick(), 100);
      const now = tick();
      const [claimed] = await claim(now, 1);
      await repo.recordAttempt(claimed, outcome(now, { status: 'retry', nextAttemptAt: now }, 500));
      expect(await repo.delete(target.id)).toBe(true);
      expect(await repo.recentAttempts(target.id, 10)).toEqual([]);
      expect(await claim(tick())).toEqual([]);
      expect(await repo.backlog()).toEqual({ pending: 0, oldestAt: null });
    });
  });

  describe('backlog', () => {
    it('should count events not fanned out and deliveries not finished, and tell when the oldest event was written', async () => {
      expect(await repo.backlog()).toEqual({ pending: 0, oldestAt: null });
      await endpoint();
      const events = await createItems(2);
      expect(await repo.backlog()).toEqual({ pending: 2, oldestAt: events[0].timestamp });
      await fanOut(tick(), 100);
      expect(await repo.backlog()).toEqual({ pending: 2, oldestAt: events[0].timestamp });
      const now = tick();
      const [first, second] = await claim(now);
      await repo.recordAttempt(first, outcome(now, { status: 'delivered' }));
      expect(await repo.backlog()).toEqual({ pending: 1, oldestAt: events[1].timestamp });
      await repo.recordAttempt(second, outcome(now, { status: 'failed' }, 500));
      expect(await repo.backlog()).toEqual({ pending: 0, oldestAt: null });
    });
  });

  describe('purgeBefore', () => {
    /** Purges, `limit` at a time, whatever earlier tests left behind that is older than now. */
    const purgeAllBefore = async (cutoff: Date, limit = 1000) => {
      let total = 0;
      for (let purged = -1; purged !== 0; total += purged) purged = await repo.purgeBefore(cutoff, limit);
      return total;
    };

    it('should delete old attempts, finished deliveries and fanned-out events; keep the pending, recent or not fanned out', async () => {
      await purgeAllBefore(tick());
      const target = await endpoint();
      const before = feedCursor;
      const [delivered, given, waiting, notFannedOut] = await createItems(4);
      expect(await fanOut(tick(), 3)).toBe(3);
      const early = tick();
      const claims = await claim(early);
      expect(eventIds(claims)).toEqual([delivered.id, given.id, waiting.id]);
      const cutoff = tick();
      const late = tick();
      const far = new Date(late.getTime() + 3_600_000);
      await repo.recordAttempt(claims[0], outcome(early, { status: 'delivered' }));
      await repo.recordAttempt(claims[1], outcome(early, { status: 'retry', nextAttemptAt: late }, 500));
      await repo.recordAttempt(claims[2], outcome(early, { status: 'retry', nextAttemptAt: far }, 500));
      const [givenAgain] = await claim(late);
      expect(givenAgain.event.id).toBe(given.id);
      await repo.recordAttempt(givenAgain, outcome(late, { status: 'failed' }, 500));

      // 3 attempts made early, the delivered delivery, and the events of the delivered and the given-up deliveries.
      expect(await repo.purgeBefore(cutoff, 100)).toBe(6);
      expect(await repo.purgeBefore(cutoff, 100)).toBe(0);
      expect(await repo.recentAttempts(target.id, 10)).toEqual([expect.objectContaining({ eventId: given.id, at: late, attempt: 2 })]);
      expect((await readToEnd(subject.events, null)).events.map((e) => e.id)).toEqual([waiting.id, notFannedOut.id]);
      expect((await readToEnd(subject.events, before)).events).toEqual([waiting, notFannedOut]);

      // The pending delivery is still sent with its event, and the event not fanned out still is.
      const [retried] = await claim(far);
      expect(retried).toMatchObject({ deliveryId: claims[2].deliveryId, attempt: 2, event: waiting });
      expect(await fanOut(far, 100)).toBe(1);
      expect(eventIds(await claim(far))).toEqual([notFannedOut.id]);
      expect(await repo.backlog()).toEqual({ pending: 2, oldestAt: waiting.timestamp });
    });

    it('should delete at most `limit` rows per call, attempts, deliveries and events together', async () => {
      await purgeAllBefore(tick());
      await endpoint();
      await createItems(2);
      await fanOut(tick(), 100);
      const now = tick();
      for (const claimed of await claim(now)) await repo.recordAttempt(claimed, outcome(now, { status: 'delivered' }));
      const cutoff = tick();
      expect(await repo.purgeBefore(cutoff, 4)).toBe(4);
      expect(await repo.purgeBefore(cutoff, 1)).toBe(1);
      expect(await repo.purgeBefore(cutoff, 4)).toBe(1);
      expect(await repo.purgeBefore(cutoff, 4)).toBe(0);
      expect((await readToEnd(subject.events, null)).events).toEqual([]);
    });

    it('should delete each row once when several instances purge at the same time', async () => {
      await purgeAllBefore(tick());
      const target = await endpoint();
      await createItems(6);
      await fanOut(tick(), 100);
      const now = tick();
      for (const claimed of await claim(now)) await repo.recordAttempt(claimed, outcome(now, { status: 'failed' }, 500));
      const cutoff = tick();
      const counts = await Promise.all([repo.purgeBefore(cutoff, 4), repo.purgeBefore(cutoff, 4), repo.purgeBefore(cutoff, 4)]);
      // Deleting a delivery takes what is left of its attempts with it: 18 rows at most, some maybe uncounted.
      const rest = await purgeAllBefore(cutoff, 4);
      expect(counts.reduce((sum, count) => sum + count, rest)).toBeLessThanOrEqual(18);
      expect(await repo.recentAttempts(target.id, 10)).toEqual([]);
      expect((await readToEnd(subject.events, null)).events).toEqual([]);
      expect(await repo.purgeBefore(cutoff, 4)).toBe(0);
    });
  });
});
