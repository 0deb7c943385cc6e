import {
  HoldFinish,
  HoldLine,
  holdOfSnapshot,
  holdSnapshot,
  isConsistent,
  mergeLines,
  NewReservation,
  ReservationRepository,
  OutcomeRecord,
  RECORDED_HOLD,
  RecordDeclinedSignal,
  ReserveResult,
  ResponseRecord,
} from '@app/core';
import { randomUUID } from 'node:crypto';
import { describeEachSubject, openSubject, RepositorySubject } from '../support/repository-subjects';
import { uniqueSku } from '../support/unique';

const T0 = new Date('2026-01-06T10:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
/** A hold finishing `seconds` after T0, kept for an hour. */
const finishAt = (seconds: number): HoldFinish => ({ now: at(seconds), retainUntil: at(seconds + 3600) });

describeEachSubject('ReservationRepository contract', (subjectName) => {
  let subject: RepositorySubject;
  let repo: ReservationRepository;

  beforeAll(async () => {
    subject = await openSubject(subjectName);
    repo = subject.reservations;
  });
  afterAll(() => subject.close());

  const stock = async (total: number) => {
    const sku = uniqueSku();
    await subject.inventory.insert({ sku, productName: 'Item', totalQuantity: total, availableQuantity: total }, T0);
    return sku;
  };
  const hold = (sku: string, quantity = 1, overrides: Partial<NewReservation> = {}): NewReservation => ({
    id: randomUUID(),
    userId: 'user-1',
    items: [{ sku, quantity }],
    clientId: 'client-a',
    idempotencyKey: randomUUID(),
    createdAt: T0,
    expiresAt: at(300),
    ...overrides,
  });
  const levels = async (sku: string) => {
    const item = await subject.inventory.findBySku(sku);
    return { available: item!.availableQuantity, reserved: item!.reservedQuantity, sold: item!.soldQuantity };
  };
  const reserved = async (sku: string, quantity = 1, overrides: Partial<NewReservation> = {}) => {
    const result = await repo.tryReserve(hold(sku, quantity, overrides));
    if (result.status !== 'reserved') throw new Error(`expected a hold, got ${result.status}`);
    return result.reservation;
  };
  /** SKUs in byte order (index order), each with its total and optional cap. */
  const skuSet = async (...specs: (number | { total: number; cap: number })[]) => {
    const base = uniqueSku();
    const skus = specs.map((_, index) => `${base}-${index}`);
    for (const [index, spec] of specs.entries()) {
      const { total, cap } = typeof spec === 'number' ? { total: spec, cap: null } : spec;
      await subject.inventory.insert(
        { sku: skus[index], productName: 'Item', totalQuantity: total, availableQuantity: total, maxPerCustomer: cap },
        T0,
      );
    }
    return skus;
  };
  /** A cart of `lines` (summed per SKU, in SKU byte order, as the service hands them to the port). */
  const cart = (lines: HoldLine[], overrides: Partial<NewReservation> = {}): NewReservation => ({
    ...hold(lines[0].sku),
    items: mergeLines(lines),
    ...overrides,
  });
  const heldCart = async (lines: HoldLine[], overrides: Partial<NewReservation> = {}) => {
    const result = await repo.tryReserve(cart(lines, overrides));
    if (result.status !== 'reserved') throw new Error(`expected a hold, got ${result.status}`);
    return result.reservation;
  };

  describe("tryReserve with the request's idempotency record (one atomic step)", () => {
    const recordFor = (key: string, body: unknown = { success: true, data: { key } }): ResponseRecord => ({
      scope: `reserve:${randomUUID()}`.slice(0, 44),
      key,
      fingerprint: 'f'.repeat(64),
      token: randomUUID(),
      now: T0,
      retainUntil: at(86_400),
      response: { statusCode: 201, body },
    });
    const claimOf = (record: ResponseRecord) =>
      subject.idempotency.claim({ ...record, token: randomUUID(), leaseUntil: at(30), now: at(1) });

    it.each([
      ['one line, no cap', 1, null],
      ['a cart, no cap', 3, null],
      ['one line under a default cap', 1, 5],
      ['a cart under a default cap', 3, 5],
    ])('should write the record complete with the hold (%s)', async (_label, lines, cap) => {
      const skus = await skuSet(...Array.from({ length: lines }, () => 10));
      const request = cart(
        skus.map((sku) => ({ sku, quantity: 2 })),
        { idempotencyKey: randomUUID() },
      );
      const record = recordFor(request.idempotencyKey, { success: true, nested: { list: [1, 'two', null] } });
      const result = await repo.tryReserve(request, cap, record);
      expect(result.status).toBe('reserved');
      expect(await claimOf(record)).toEqual({
        status: 'completed',
        fingerprint: record.fingerprint,
        response: { statusCode: 201, body: { success: true, nested: { list: [1, 'two', null] } } },
      });
      for (const sku of skus) expect(await levels(sku)).toEqual({ available: 8, reserved: 2, sold: 0 });
    });

    it.each([
      ['no cap', null],
      ['a default cap', 5],
    ])('should move nothing and say so when the key is recorded already (%s)', async (_label, cap) => {
      const sku = await stock(10);
      const key = randomUUID();
      const record = recordFor(key);
      expect(await claimOf(record)).toEqual({ status: 'claimed' });
      const request = hold(sku, 2, { idempotencyKey: key });
      expect(await repo.tryReserve(request, cap, record)).toEqual({ status: 'key_recorded' });
      expect(await levels(sku)).toEqual({ available: 10, reserved: 0, sold: 0 });
      expect(await repo.findById(request.id)).toBeNull();
    });

    it('should write no record when the hold is refused', async () => {
      const sku = await stock(1);
      const record = recordFor(randomUUID());
      const result = await repo.tryReserve(hold(sku, 2, { idempotencyKey: record.key }), null, record);
      expect(result.status).toBe('insufficient');
      expect(await claimOf(record)).toEqual({ status: 'claimed' });
    });

    it('should hold once for concurrent requests with one key: the others move nothing', async () => {
      const sku = await stock(10);
      const key = randomUUID();
      const record = recordFor(key);
      const results = await Promise.all(
        Array.from({ length: 6 }, () => repo.tryReserve(hold(sku, 1, { idempotencyKey: key }), null, { ...record, token: randomUUID() })),
      );
      const statuses = results.map((result) => result.status);
      expect(statuses.filter((status) => status === 'reserved')).toHaveLength(1);
      for (const status of statuses.filter((status) => status !== 'reserved')) expect(['key_recorded', 'duplicate_key']).toContain(status);
      expect(await levels(sku)).toEqual({ available: 9, reserved: 1, sold: 0 });
      expect((await claimOf(record)).status).toBe('completed');
    });
  });

  describe("confirm and cancel with the request's idempotency record (one atomic step)", () => {
    const outcomeRecord = (key: string): OutcomeRecord => ({
      scope: `confirm:${randomUUID()}`.slice(0, 44),
      key,
      fingerprint: 'e'.repeat(64),
      token: randomUUID(),
      now: at(10),
      retainUntil: at(86_400),
      statusCode: 200,
    });
    const claimOf = (record: OutcomeRecord) =>
      subject.idempotency.claim({ ...record, token: randomUUID(), leaseUntil: at(40), now: at(11) });

    it.each([
      ['confirm', 'CONFIRMED'],
      ['cancel', 'CANCELLED'],
    ] as const)('should %s and keep the ended hold in the record', async (ending, status) => {
      const sku = await stock(10);
      const request = cart([{ sku, quantity: 3 }]);
      expect((await repo.tryReserve(request)).status).toBe('reserved');
      const record = outcomeRecord(randomUUID());
      const end = ending === 'confirm' ? repo.confirmIfActive.bind(repo) : repo.cancelIfActive.bind(repo);
      const ended = await end(request.id, finishAt(10), { actor: 'key-1' }, record);
      expect(ended).toMatchObject({ id: request.id, status });
      expect(await claimOf(record)).toEqual({
        status: 'completed',
        fingerprint: record.fingerprint,
        response: { statusCode: 200, body: { [RECORDED_HOLD]: holdSnapshot(ended!) } },
      });
      expect(holdOfSnapshot(holdSnapshot(ended!))).toEqual({ ...ended, clientId: '' });
    });

    it('should move nothing and say so when the key is recorded already', async () => {
      const sku = await stock(10);
      const request = hold(sku, 2);
      expect((await repo.tryReserve(request)).status).toBe('reserved');
      const record = outcomeRecord(randomUUID());
      expect(await claimOf(record)).toEqual({ status: 'claimed' });
      await expect(repo.confirmIfActive(request.id, finishAt(10), undefined, record)).rejects.toBeInstanceOf(RecordDeclinedSignal);
      expect((await repo.findById(request.id))!.status).toBe('RESERVED');
      expect(await levels(sku)).toEqual({ available: 8, reserved: 2, sold: 0 });
    });

    it('should write no record when the transition does not apply', async () => {
      const sku = await stock(10);
      const request = hold(sku, 2);
      expect((await repo.tryReserve(request)).status).toBe('reserved');
      expect(await repo.confirmIfActive(request.id, finishAt(10))).not.toBeNull();
      const record = outcomeRecord(randomUUID());
      expect(await repo.cancelIfActive(request.id, finishAt(11), undefined, record)).toBeNull();
      expect(await claimOf(record)).toEqual({ status: 'claimed' });
    });
  });

  describe('tryReserve', () => {
    it('should move stock from available to reserved and record a RESERVED hold', async () => {
      const sku = await stock(10);
      const request = hold(sku, 4);
      const result = await repo.tryReserve(request);
      expect(result).toEqual({ status: 'reserved', reservation: { ...request, status: 'RESERVED', finishedAt: null } });
      expect(await levels(sku)).toEqual({ available: 6, reserved: 4, sold: 0 });
      expect(await repo.findById(request.id)).toEqual({ ...request, status: 'RESERVED', finishedAt: null });
    });

    it('should refuse when stock is short, report what is available, and move nothing', async () => {
      const sku = await stock(3);
      const request = hold(sku, 4);
      expect(await repo.tryReserve(request)).toEqual({
        status: 'insufficient',
        shortages: [{ sku, requested: 4, available: 3 }],
        dueHolds: false,
      });
      expect(await levels(sku)).toEqual({ available: 3, reserved: 0, sold: 0 });
      expect(await repo.findById(request.id)).toBeNull();
    });

    it('should say when due holds of the SKU could free stock', async () => {
      const sku = await stock(2);
      await reserved(sku, 2, { expiresAt: at(10) });
      expect(await repo.tryReserve(hold(sku, 1, { createdAt: at(9) }))).toEqual({
        status: 'insufficient',
        shortages: [{ sku, requested: 1, available: 0 }],
        dueHolds: false,
      });
      expect(await repo.tryReserve(hold(sku, 1, { createdAt: at(10) }))).toEqual({
        status: 'insufficient',
        shortages: [{ sku, requested: 1, available: 0 }],
        dueHolds: true,
      });
    });

    it('should keep the id it was given in canonical lower case and find the hold by it (the API lower-cases ids)', async () => {
      const sku = await stock(5);
      const request = hold(sku, 1, { id: randomUUID().toLowerCase() });
      const result = await repo.tryReserve(request);
      expect(result).toMatchObject({ status: 'reserved', reservation: { id: request.id } });
      expect((await repo.findById(request.id))?.id).toBe(request.id);
      expect((await repo.confirmIfActive(request.id, finishAt(1)))?.id).toBe(request.id);
    });

    it('should report an unknown SKU', async () => {
      const missing = uniqueSku('MISSING');
      expect(await repo.tryReserve(hold(missing))).toEqual({ status: 'sku_not_found', missing: [missing] });
    });

    it('should return the existing hold for a reused idempotency key and move nothing', async () => {
      const sku = await stock(10);
      const first = await reserved(sku, 2);
      const retry = await repo.tryReserve(hold(sku, 2, { idempotencyKey: first.idempotencyKey }));
      expect(retry).toEqual({ status: 'duplicate_key', existing: first });
      expect(await levels(sku)).toEqual({ available: 8, reserved: 2, sold: 0 });
    });

    it("should keep each client's idempotency keys apart: another client's hold with the same key is its own", async () => {
      const sku = await stock(10);
      const first = await reserved(sku, 2);
      const other = await repo.tryReserve(hold(sku, 3, { clientId: 'client-b', idempotencyKey: first.idempotencyKey }));
      expect(other).toMatchObject({
        status: 'reserved',
        reservation: { clientId: 'client-b', idempotencyKey: first.idempotencyKey, items: [{ sku, quantity: 3 }] },
      });
      expect(await repo.tryReserve(hold(sku, 2, { idempotencyKey: first.idempotencyKey }))).toEqual({
        status: 'duplicate_key',
        existing: first,
      });
      expect(await levels(sku)).toEqual({ available: 5, reserved: 5, sold: 0 });
    });

    it('should report a reused key as duplicate_key even when its hold took the last units', async () => {
      const sku = await stock(3);
      const first = await reserved(sku, 3);
      expect(await repo.tryReserve(hold(sku, 3, { idempotencyKey: first.idempotencyKey }))).toEqual({
        status: 'duplicate_key',
        existing: first,
      });
      expect(await levels(sku)).toEqual({ available: 0, reserved: 3, sold: 0 });
    });

    it('should grant exactly min(N, S) of N concurrent single-unit reserves on S units', async () => {
      const sku = await stock(7);
      const results = await Promise.all(Array.from({ length: 20 }, () => repo.tryReserve(hold(sku, 1))));
      expect(results.filter((r) => r.status === 'reserved')).toHaveLength(7);
      expect(results.filter((r) => r.status === 'insufficient')).toHaveLength(13);
      expect(await levels(sku)).toEqual({ available: 0, reserved: 7, sold: 0 });
    });

    it('should create one hold for concurrent reserves that share an idempotency key', async () => {
      const sku = await stock(10);
      const key = randomUUID();
      const results = await Promise.all(Array.from({ length: 8 }, () => repo.tryReserve(hold(sku, 1, { idempotencyKey: key }))));
      expect(results.filter((r) => r.status === 'reserved')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'duplicate_key')).toHaveLength(7);
      expect(await levels(sku)).toEqual({ available: 9, reserved: 1, sold: 0 });
    });
  });

  describe('tryReserve with a per-customer cap', () => {
    const cappedStock = async (total: number, maxPerCustomer: number | null) => {
      const sku = uniqueSku();
      await subject.inventory.insert({ sku, productName: 'Item', totalQuantity: total, availableQuantity: total, maxPerCustomer }, T0);
      return sku;
    };

    it("should refuse what would take the customer past the SKU's cap, naming it and the units held, and move nothing", async () => {
      const sku = await cappedStock(10, 3);
      await reserved(sku, 2);
      const request = hold(sku, 2);
      expect(await repo.tryReserve(request)).toEqual({ status: 'customer_limit', sku, maxPerCustomer: 3, heldByCustomer: 2 });
      expect(await levels(sku)).toEqual({ available: 8, reserved: 2, sold: 0 });
      expect(await repo.findById(request.id)).toBeNull();
      await reserved(sku, 1);
      expect(await repo.tryReserve(hold(sku, 1))).toEqual({ status: 'customer_limit', sku, maxPerCustomer: 3, heldByCustomer: 3 });
    });

    it('should refuse a single request larger than the cap', async () => {
      const sku = await cappedStock(10, 2);
      expect(await repo.tryReserve(hold(sku, 3))).toEqual({ status: 'customer_limit', sku, maxPerCustomer: 2, heldByCustomer: 0 });
      expect(await levels(sku)).toEqual({ available: 10, reserved: 0, sold: 0 });
    });

    it("should apply the default to a SKU without a cap, and the SKU's own cap over the default", async () => {
      const [open, capped] = [await cappedStock(10, null), await cappedStock(10, 4)];
      expect((await repo.tryReserve(hold(open, 1), 1)).status).toBe('reserved');
      expect(await repo.tryReserve(hold(open, 1), 1)).toEqual({
        status: 'customer_limit',
        sku: open,
        maxPerCustomer: 1,
        heldByCustomer: 1,
      });
      expect((await repo.tryReserve(hold(capped, 4), 1)).status).toBe('reserved');
      expect(await repo.tryReserve(hold(capped, 1), 1)).toEqual({
        status: 'customer_limit',
        sku: capped,
        maxPerCustomer: 4,
        heldByCustomer: 4,
      });
      expect((await repo.tryReserve(hold(open, 5), null)).status).toBe('reserved');
    });

    it("should count only the customer's active holds of that SKU: not other customers, SKUs, finished or due holds", async () => {
      const [sku, other] = [await cappedStock(20, 2), await cappedStock(20, 2)];
      await reserved(sku, 2, { userId: 'user-2' });
      await reserved(other, 2);
      const cancelled = await reserved(sku, 1);
      await repo.cancelIfActive(cancelled.id, finishAt(1));
      const confirmed = await reserved(sku, 1);
      await repo.confirmIfActive(confirmed.id, finishAt(1));
      await reserved(sku, 1, { expiresAt: at(10) }); // due at 10 s, and not yet swept
      const later = (quantity: number) => repo.tryReserve(hold(sku, quantity, { createdAt: at(10) }));
      expect(await later(3)).toEqual({ status: 'customer_limit', sku, maxPerCustomer: 2, heldByCustomer: 0 });
      expect((await later(2)).status).toBe('reserved');
      expect(await later(1)).toEqual({ status: 'customer_limit', sku, maxPerCustomer: 2, heldByCustomer: 2 });
    });

    it('should give the allowance back when a hold is cancelled or expires', async () => {
      const sku = await cappedStock(10, 2);
      const first = await reserved(sku, 2, { expiresAt: at(60) });
      expect((await repo.tryReserve(hold(sku, 1))).status).toBe('customer_limit');
      await repo.cancelIfActive(first.id, finishAt(1));
      const second = await reserved(sku, 2, { expiresAt: at(60) });
      expect((await repo.tryReserve(hold(sku, 1, { createdAt: at(30) }))).status).toBe('customer_limit');
      expect(await repo.expireDue(finishAt(60), 10, [sku])).toBe(1);
      expect((await repo.findById(second.id))?.status).toBe('EXPIRED');
      expect((await repo.tryReserve(hold(sku, 2, { createdAt: at(61), expiresAt: at(360) }))).status).toBe('reserved');
    });

    it('should report a shortage before the cap', async () => {
      const sku = await cappedStock(3, 1);
      expect(await repo.tryReserve(hold(sku, 4))).toEqual({
        status: 'insufficient',
        shortages: [{ sku, requested: 4, available: 3 }],
        dueHolds: false,
      });
    });

    it('should report a reused key as duplicate_key even when its hold took the customer to the cap', async () => {
      const sku = await cappedStock(10, 2);
      const first = await reserved(sku, 2);
      const retry = hold(sku, 2, { idempotencyKey: first.idempotencyKey });
      expect(await repo.tryReserve(retry)).toEqual({ status: 'duplicate_key', existing: first });
      expect(await repo.tryReserve(retry, 5)).toEqual({ status: 'duplicate_key', existing: first });
      expect(await levels(sku)).toEqual({ available: 8, reserved: 2, sold: 0 });
    });

    it.each([
      ["the SKU's own cap", 2, null],
      ['the default cap', null, 2],
    ] as const)('should grant exactly 2 of 20 concurrent single-unit reserves by one customer under %s', async (_label, own, fallback) => {
      const sku = await cappedStock(50, own);
      const results = await Promise.all(Array.from({ length: 20 }, () => repo.tryReserve(hold(sku, 1), fallback)));
      expect(results.filter((r) => r.status === 'reserved')).toHaveLength(2);
      expect(results.filter((r) => r.status === 'customer_limit')).toHaveLength(18);
      expect(await levels(sku)).toEqual({ available: 48, reserved: 2, sold: 0 });
      expect(await repo.reconcile(sku)).toMatchObject({ reservedQuantity: 2, heldByActiveReservations: 2 });
    });

    it('should cap each of several customers reserving concurrently on their own', async () => {
      const sku = await cappedStock(50, 3);
      const users = ['a', 'b', 'c', 'd'];
      const results = await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const userId = users[i % users.length];
          return [userId, (await repo.tryReserve(hold(sku, 1, { userId }))).status];
        }),
      );
      for (const user of users) expect(results.filter(([u, status]) => u === user && status === 'reserved')).toHaveLength(3);
      expect(await levels(sku)).toEqual({ available: 38, reserved: 12, sold: 0 });
      expect(await repo.reconcile(sku)).toMatchObject({ reservedQuantity: 12, heldByActiveReservations: 12 });
    });
  });

  describe('transitions', () => {
    it('should confirm an active hold: reserved becomes sold', async () => {
      const sku = await stock(10);
      const held = await reserved(sku, 3);
      expect(await repo.confirmIfActive(held.id, finishAt(10))).toEqual({ ...held, status: 'CONFIRMED', finishedAt: at(10) });
      expect(await levels(sku)).toEqual({ available: 7, reserved: 0, sold: 3 });
    });

    it('should cancel an active hold: stock goes back to available', async () => {
      const sku = await stock(10);
      const held = await reserved(sku, 3);
      expect(await repo.cancelIfActive(held.id, finishAt(10))).toMatchObject({ status: 'CANCELLED' });
      expect(await levels(sku)).toEqual({ available: 10, reserved: 0, sold: 0 });
    });

    it('should neither confirm nor cancel a due hold, but expire it and return its stock', async () => {
      const sku = await stock(10);
      const held = await reserved(sku, 3);
      expect(await repo.confirmIfActive(held.id, finishAt(300))).toBeNull();
      expect(await repo.cancelIfActive(held.id, finishAt(300))).toBeNull();
      expect(await repo.expireIfDue(held.id, finishAt(299))).toBeNull();
      expect(await repo.expireIfDue(held.id, finishAt(300))).toMatchObject({ status: 'EXPIRED', finishedAt: at(300) });
      expect(await levels(sku)).toEqual({ available: 10, reserved: 0, sold: 0 });
    });

    it('should change a finished hold no more, and move its stock only once', async () => {
      const sku = await stock(10);
      const held = await reserved(sku, 3);
      await repo.cancelIfActive(held.id, finishAt(10));
      expect(await repo.cancelIfActive(held.id, finishAt(11))).toBeNull();
      expect(await repo.confirmIfActive(held.id, finishAt(11))).toBeNull();
      expect(await repo.expireIfDue(held.id, finishAt(400))).toBeNull();
      expect(await levels(sku)).toEqual({ available: 10, reserved: 0, sold: 0 });
      expect((await repo.findById(held.id))?.status).toBe('CANCELLED');
    });

    it('should let exactly one of concurrent confirm, cancel and expire win for each hold', async () => {
      const sku = await stock(30);
      const holds = await Promise.all(Array.from({ length: 10 }, () => reserved(sku, 3, { expiresAt: at(60) })));
      const outcomes = await Promise.all(
        holds.map((h) =>
          Promise.all([
            repo.confirmIfActive(h.id, finishAt(59)),
            repo.cancelIfActive(h.id, finishAt(59)),
            repo.expireIfDue(h.id, finishAt(60)),
          ]),
        ),
      );
      for (const results of outcomes) expect(results.filter((r) => r !== null)).toHaveLength(1);
      const final = await Promise.all(holds.map((h) => repo.findById(h.id)));
      const confirmedUnits = final.filter((r) => r!.status === 'CONFIRMED').length * 3;
      expect(await levels(sku)).toEqual({ available: 30 - confirmedUnits, reserved: 0, sold: confirmedUnits });
    });
  });

  describe('times passed through the port', () => {
    it("should stamp the SKU with the hold's time when reserving and the ending's time when it ends", async () => {
      const sku = await stock(10);
      const held = await reserved(sku, 2, { createdAt: at(5) });
      expect((await subject.inventory.findBySku(sku))?.updatedAt).toEqual(at(5));
      await repo.confirmIfActive(held.id, finishAt(20));
      expect(await subject.inventory.findBySku(sku)).toMatchObject({ createdAt: T0, updatedAt: at(20) });
      await reserved(sku, 1, { expiresAt: at(30) });
      expect(await repo.expireDue(finishAt(40), 10, [sku])).toBe(1);
      expect((await subject.inventory.findBySku(sku))?.updatedAt).toEqual(at(40));
    });

    if (subjectName === 'mongo') {
      it("should store the passed retain-until date as the finished hold's purgeAt (TTL), and none while active", async () => {
        const sku = await stock(10);
        const [a, b, c] = [await reserved(sku), await reserved(sku), await reserved(sku, 1, { expiresAt: at(50) })];
        const purgeAt = async (id: string) => (await subject.mongo!.reservations.findOne({ _id: id }))?.purgeAt;
        expect(await purgeAt(a.id)).toBeNull();
        await repo.confirmIfActive(a.id, finishAt(10));
        await repo.cancelIfActive(b.id, finishAt(11));
        await repo.expireDue(finishAt(60), 10, [sku]);
        expect([await purgeAt(a.id), await purgeAt(b.id), await purgeAt(c.id)]).toEqual([at(3610), at(3611), at(3660)]);
      });
    }
  });

  describe('expireDue', () => {
    it('should expire only due holds, in batches, and return their stock', async () => {
      const sku = await stock(10);
      const due = await Promise.all([1, 2, 3].map(() => reserved(sku, 2, { expiresAt: at(5) })));
      const later = await reserved(sku, 1, { expiresAt: at(500) });
      expect(await repo.expireDue(finishAt(4), 100, [sku])).toBe(0);
      expect(await repo.expireDue(finishAt(5), 2, [sku])).toBe(2);
      expect(await repo.expireDue(finishAt(5), 2, [sku])).toBe(1);
      expect(await repo.expireDue(finishAt(5), 2, [sku])).toBe(0);
      for (const h of due) expect((await repo.findById(h.id))?.status).toBe('EXPIRED');
      expect((await repo.findById(later.id))?.status).toBe('RESERVED');
      expect(await repo.reconcile(sku)).toMatchObject({ availableQuantity: 9, reservedQuantity: 1, heldByActiveReservations: 1 });
    });

    it("should expire only the given SKU's due holds when asked for one SKU", async () => {
      const [a, b] = [await stock(5), await stock(5)];
      const holdA = await reserved(a, 1, { expiresAt: at(1) });
      const holdB = await reserved(b, 1, { expiresAt: at(1) });
      expect(await repo.expireDue(finishAt(2), 100, [a])).toBe(1);
      expect((await repo.findById(holdA.id))?.status).toBe('EXPIRED');
      expect((await repo.findById(holdB.id))?.status).toBe('RESERVED');
    });

    it('should return stock exactly once when sweeps over many SKUs run concurrently', async () => {
      while ((await repo.expireDue(finishAt(2), 1000)) > 0); // holds other tests left due
      const skus = await Promise.all(Array.from({ length: 8 }, () => stock(20)));
      await Promise.all(skus.flatMap((sku) => Array.from({ length: 10 }, () => reserved(sku, 2, { expiresAt: at(1) }))));
      const counts = await Promise.all(Array.from({ length: 6 }, () => repo.expireDue(finishAt(2), 15)));
      let total = counts.reduce((a, b) => a + b, 0);
      for (let round = 0; round < 20; round++) {
        const count = await repo.expireDue(finishAt(2), 100);
        total += count;
        if (count === 0) break;
      }
      expect(total).toBe(80);
      for (const sku of skus) {
        expect(await levels(sku)).toEqual({ available: 20, reserved: 0, sold: 0 });
        expect(await repo.reconcile(sku)).toMatchObject({ heldByActiveReservations: 0 });
      }
    });
  });

  describe('oldestDueExpiry', () => {
    // Holds of their own era (a day before T0), so the other tests' holds are never due at these times.
    const early = (seconds: number) => at(seconds - 86_400);

    it('should give the earliest expiry among due RESERVED holds, and null when none is due', async () => {
      const sku = await stock(10);
      const first = await reserved(sku, 1, { createdAt: early(0), expiresAt: early(10) });
      const second = await reserved(sku, 1, { createdAt: early(0), expiresAt: early(20) });
      expect(await repo.oldestDueExpiry(early(9))).toBeNull();
      expect(await repo.oldestDueExpiry(early(10))).toEqual(early(10));
      expect(await repo.oldestDueExpiry(early(30))).toEqual(early(10));

      expect(await repo.cancelIfActive(first.id, { now: early(5), retainUntil: early(3600) })).not.toBeNull();
      expect(await repo.oldestDueExpiry(early(30))).toEqual(early(20));
      expect(await repo.expireIfDue(second.id, { now: early(30), retainUntil: early(3600) })).not.toBeNull();
      expect(await repo.oldestDueExpiry(early(30))).toBeNull();
    });
  });

  describe('purgeFinishedBefore', () => {
    it('should delete finished holds older than the cutoff and keep active ones', async () => {
      const sku = await stock(10);
      const old = await reserved(sku, 1);
      await repo.cancelIfActive(old.id, finishAt(10));
      const recent = await reserved(sku, 1);
      await repo.confirmIfActive(recent.id, finishAt(100));
      const active = await reserved(sku, 1);
      expect(await repo.purgeFinishedBefore(at(50), 100)).toBeGreaterThanOrEqual(1);
      expect(await repo.findById(old.id)).toBeNull();
      expect(await repo.findById(recent.id)).not.toBeNull();
      expect(await repo.findById(active.id)).not.toBeNull();
    });
  });

  describe('reconcile', () => {
    it('should report counters next to the sums of the holds and of the ledger', async () => {
      const sku = await stock(10);
      const a = await reserved(sku, 2);
      await reserved(sku, 3);
      await repo.confirmIfActive(a.id, finishAt(1));
      expect(await repo.reconcile(sku)).toEqual({
        sku,
        totalQuantity: 10,
        availableQuantity: 5,
        reservedQuantity: 3,
        soldQuantity: 2,
        heldByActiveReservations: 3,
        soldByConfirmedReservations: 2,
        ledger: { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 },
      });
    });

    it('should return null for an unknown SKU', async () => {
      expect(await repo.reconcile(uniqueSku('MISSING'))).toBeNull();
    });
  });

  describe('carts (holds of several lines)', () => {
    it('should hold every line of a cart: each SKU moves, and the hold lists its lines in SKU byte order', async () => {
      const [a, b, c] = await skuSet(10, 5, 3);
      const request = cart([
        { sku: c, quantity: 3 },
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
        { sku: a, quantity: 1 },
      ]);
      expect(request.items).toEqual([
        { sku: a, quantity: 3 },
        { sku: b, quantity: 1 },
        { sku: c, quantity: 3 },
      ]);
      const expected = { ...request, status: 'RESERVED', finishedAt: null };
      expect(await repo.tryReserve(request)).toEqual({ status: 'reserved', reservation: expected });
      expect(await repo.findById(request.id)).toEqual(expected);
      expect([await levels(a), await levels(b), await levels(c)]).toEqual([
        { available: 7, reserved: 3, sold: 0 },
        { available: 4, reserved: 1, sold: 0 },
        { available: 0, reserved: 3, sold: 0 },
      ]);
    });

    it('should move nothing when one line is short, and list every short line with what is available', async () => {
      const [a, b, c] = await skuSet(10, 2, 1);
      const request = cart([
        { sku: a, quantity: 5 },
        { sku: b, quantity: 3 },
        { sku: c, quantity: 2 },
      ]);
      expect(await repo.tryReserve(request)).toEqual({
        status: 'insufficient',
        shortages: [
          { sku: b, requested: 3, available: 2 },
          { sku: c, requested: 2, available: 1 },
        ],
        dueHolds: false,
      });
      expect([await levels(a), await levels(b), await levels(c)]).toEqual([
        { available: 10, reserved: 0, sold: 0 },
        { available: 2, reserved: 0, sold: 0 },
        { available: 1, reserved: 0, sold: 0 },
      ]);
      expect(await repo.findById(request.id)).toBeNull();
    });

    it('should say dueHolds only when a due hold has a line of a short SKU', async () => {
      const [a, b, d] = await skuSet(5, 2, 1);
      await heldCart([{ sku: b, quantity: 2 }], { expiresAt: at(500) });
      await heldCart([{ sku: a, quantity: 1 }], { expiresAt: at(10) }); // due, but a is not short
      const request = (sku: string) =>
        cart(
          [
            { sku: a, quantity: 1 },
            { sku, quantity: 2 },
          ],
          { createdAt: at(20) },
        );
      expect(await repo.tryReserve(request(b))).toEqual({
        status: 'insufficient',
        shortages: [{ sku: b, requested: 2, available: 0 }],
        dueHolds: false,
      });
      await heldCart(
        [
          { sku: a, quantity: 1 },
          { sku: d, quantity: 1 },
        ],
        { expiresAt: at(10) },
      ); // due, with a line of d
      expect(await repo.tryReserve(request(d))).toEqual({
        status: 'insufficient',
        shortages: [{ sku: d, requested: 2, available: 0 }],
        dueHolds: true,
      });
    });

    it('should list every unknown SKU in missing (before any shortage) and move nothing', async () => {
      const [a] = await skuSet(1);
      const [x, y] = [`${a}-X`, `${a}-Y`];
      const request = cart([
        { sku: y, quantity: 1 },
        { sku: a, quantity: 5 },
        { sku: x, quantity: 1 },
      ]);
      expect(await repo.tryReserve(request)).toEqual({ status: 'sku_not_found', missing: [x, y] });
      expect(await levels(a)).toEqual({ available: 1, reserved: 0, sold: 0 });
      expect(await repo.findById(request.id)).toBeNull();
    });

    it("should count the cap per line: the customer's units of each capped SKU across all their holds", async () => {
      const [a, b, c] = await skuSet({ total: 20, cap: 3 }, 20, { total: 20, cap: 4 });
      await heldCart([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 5 },
      ]);
      await heldCart([{ sku: c, quantity: 3 }]);
      await heldCart([{ sku: a, quantity: 3 }], { userId: 'user-2' });
      const refused = cart([
        { sku: a, quantity: 1 },
        { sku: b, quantity: 5 },
        { sku: c, quantity: 2 },
      ]);
      expect(await repo.tryReserve(refused)).toEqual({ status: 'customer_limit', sku: c, maxPerCustomer: 4, heldByCustomer: 3 });
      expect(await repo.findById(refused.id)).toBeNull();
      expect([await levels(a), await levels(b), await levels(c)]).toEqual([
        { available: 15, reserved: 5, sold: 0 },
        { available: 15, reserved: 5, sold: 0 },
        { available: 17, reserved: 3, sold: 0 },
      ]);
      const twoOver = cart([
        { sku: a, quantity: 2 },
        { sku: c, quantity: 2 },
      ]);
      expect(await repo.tryReserve(twoOver)).toEqual({ status: 'customer_limit', sku: a, maxPerCustomer: 3, heldByCustomer: 2 });
      // The default cap applies to b, which has none of its own; a and c keep theirs.
      expect(
        await repo.tryReserve(
          cart([
            { sku: a, quantity: 1 },
            { sku: b, quantity: 1 },
          ]),
          5,
        ),
      ).toEqual({
        status: 'customer_limit',
        sku: b,
        maxPerCustomer: 5,
        heldByCustomer: 5,
      });
      const fits = await repo.tryReserve(
        cart([
          { sku: a, quantity: 1 },
          { sku: b, quantity: 1 },
          { sku: c, quantity: 1 },
        ]),
        6,
      );
      expect(fits).toMatchObject({ status: 'reserved' });
      expect(await repo.reconcile(b)).toMatchObject({ reservedQuantity: 6, heldByActiveReservations: 6 });
    });

    it('should report a reused key as duplicate_key with the existing cart, whatever the new lines, and move nothing', async () => {
      const [a, b] = await skuSet(10, 10);
      const first = await heldCart([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 3 },
      ]);
      const same = cart(
        [
          { sku: a, quantity: 2 },
          { sku: b, quantity: 3 },
        ],
        { idempotencyKey: first.idempotencyKey },
      );
      const other = cart([{ sku: b, quantity: 9 }], { idempotencyKey: first.idempotencyKey });
      expect(await repo.tryReserve(same)).toEqual({ status: 'duplicate_key', existing: first });
      expect(await repo.tryReserve(other)).toEqual({ status: 'duplicate_key', existing: first });
      expect(await repo.tryReserve(same, 1)).toEqual({ status: 'duplicate_key', existing: first });
      expect([await levels(a), await levels(b)]).toEqual([
        { available: 8, reserved: 2, sold: 0 },
        { available: 7, reserved: 3, sold: 0 },
      ]);
    });

    it('should confirm, cancel and expire every line of a cart at once', async () => {
      const [a, b] = await skuSet(10, 10);
      const lines = [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 3 },
      ];
      const confirmed = await heldCart(lines);
      const cancelled = await heldCart(lines);
      const expiring = await heldCart(lines, { expiresAt: at(50) });
      expect(await repo.confirmIfActive(confirmed.id, finishAt(10))).toEqual({ ...confirmed, status: 'CONFIRMED', finishedAt: at(10) });
      expect(await repo.cancelIfActive(cancelled.id, finishAt(10))).toEqual({ ...cancelled, status: 'CANCELLED', finishedAt: at(10) });
      expect(await repo.expireIfDue(expiring.id, finishAt(50))).toEqual({ ...expiring, status: 'EXPIRED', finishedAt: at(50) });
      expect([await levels(a), await levels(b)]).toEqual([
        { available: 8, reserved: 0, sold: 2 },
        { available: 7, reserved: 0, sold: 3 },
      ]);
      for (const sku of [a, b]) expect(isConsistent((await repo.reconcile(sku))!)).toBe(true);
    });

    it('should expire, for given SKUs, the whole due holds with a line of one of them and no others', async () => {
      const [a, b, c] = await skuSet(10, 10, 10);
      const ab = await heldCart(
        [
          { sku: a, quantity: 1 },
          { sku: b, quantity: 2 },
        ],
        { expiresAt: at(5) },
      );
      const bc = await heldCart(
        [
          { sku: b, quantity: 1 },
          { sku: c, quantity: 3 },
        ],
        { expiresAt: at(5) },
      );
      const cOnly = await heldCart([{ sku: c, quantity: 1 }], { expiresAt: at(5) });
      const notDue = await heldCart([{ sku: a, quantity: 1 }], { expiresAt: at(500) });
      expect(await repo.expireDue(finishAt(6), 100, [a])).toBe(1);
      expect((await repo.findById(ab.id))?.status).toBe('EXPIRED');
      expect(await levels(b)).toEqual({ available: 9, reserved: 1, sold: 0 });
      expect(await repo.expireDue(finishAt(6), 100, [b, a])).toBe(1);
      expect((await repo.findById(bc.id))?.status).toBe('EXPIRED');
      expect((await repo.findById(cOnly.id))?.status).toBe('RESERVED');
      expect((await repo.findById(notDue.id))?.status).toBe('RESERVED');
      expect([await levels(a), await levels(b), await levels(c)]).toEqual([
        { available: 9, reserved: 1, sold: 0 },
        { available: 10, reserved: 0, sold: 0 },
        { available: 9, reserved: 1, sold: 0 },
      ]);
    });

    it('should reconcile a SKU by the lines of every hold that has it', async () => {
      const [a, b] = await skuSet(20, 20);
      const sold = await heldCart([
        { sku: a, quantity: 2 },
        { sku: b, quantity: 1 },
      ]);
      await heldCart([
        { sku: a, quantity: 3 },
        { sku: b, quantity: 4 },
      ]);
      await heldCart([{ sku: a, quantity: 5 }]);
      const gone = await heldCart([
        { sku: a, quantity: 7 },
        { sku: b, quantity: 7 },
      ]);
      await repo.confirmIfActive(sold.id, finishAt(1));
      await repo.cancelIfActive(gone.id, finishAt(1));
      expect(await repo.reconcile(a)).toEqual({
        sku: a,
        totalQuantity: 20,
        availableQuantity: 10,
        reservedQuantity: 8,
        soldQuantity: 2,
        heldByActiveReservations: 8,
        soldByConfirmedReservations: 2,
        ledger: { totalQuantity: 20, availableQuantity: 10, reservedQuantity: 8, soldQuantity: 2 },
      });
      expect(await repo.reconcile(b)).toMatchObject({ reservedQuantity: 4, heldByActiveReservations: 4, soldByConfirmedReservations: 1 });
    });
  });

  describe('extendIfActive', () => {
    it("should move the expiry forward from the hold's current expiry, up to the lifetime counted from createdAt", async () => {
      const sku = await stock(10);
      const held = await reserved(sku, 1); // created T0, due at 300 s
      expect(await repo.extendIfActive(held.id, 200, 3600, at(10))).toEqual({ ...held, expiresAt: at(500) });
      expect(await repo.extendIfActive(held.id, 3101, 3600, at(20))).toBeNull();
      expect((await repo.findById(held.id))?.expiresAt).toEqual(at(500));
      expect(await repo.extendIfActive(held.id, 3100, 3600, at(20))).toMatchObject({ expiresAt: at(3600) });
      expect(await levels(sku)).toEqual({ available: 9, reserved: 1, sold: 0 });
    });

    it('should refuse a due, finished or unknown hold', async () => {
      const sku = await stock(10);
      const due = await reserved(sku, 1, { expiresAt: at(30) });
      expect(await repo.extendIfActive(due.id, 60, 3600, at(30))).toBeNull();
      const finished = await reserved(sku, 1);
      await repo.confirmIfActive(finished.id, finishAt(5));
      expect(await repo.extendIfActive(finished.id, 60, 3600, at(10))).toBeNull();
      expect(await repo.extendIfActive(randomUUID(), 60, 3600, at(10))).toBeNull();
      expect((await repo.findById(due.id))?.expiresAt).toEqual(at(30));
    });
  });

  describe('releaseIfActive', () => {
    const cartOf = async () => {
      const [a, b, c] = await skuSet(10, 10, 10);
      const held = await heldCart([
        { sku: a, quantity: 3 },
        { sku: b, quantity: 2 },
      ]);
      return { a, b, c, held };
    };

    it('should return released units to available and shrink the lines, removing a line at zero', async () => {
      const { a, b, held } = await cartOf();
      expect(await repo.releaseIfActive(held.id, [{ sku: a, quantity: 1 }], finishAt(5))).toEqual({
        status: 'released',
        reservation: {
          ...held,
          items: [
            { sku: a, quantity: 2 },
            { sku: b, quantity: 2 },
          ],
        },
      });
      expect(await levels(a)).toEqual({ available: 8, reserved: 2, sold: 0 });
      expect(await repo.releaseIfActive(held.id, [{ sku: b, quantity: 2 }], finishAt(6))).toEqual({
        status: 'released',
        reservation: { ...held, items: [{ sku: a, quantity: 2 }] },
      });
      expect(await repo.findById(held.id)).toEqual({ ...held, items: [{ sku: a, quantity: 2 }] });
      expect(await levels(b)).toEqual({ available: 10, reserved: 0, sold: 0 });
      expect(await repo.confirmIfActive(held.id, finishAt(7))).toMatchObject({ status: 'CONFIRMED', items: [{ sku: a, quantity: 2 }] });
      expect([await levels(a), await levels(b)]).toEqual([
        { available: 8, reserved: 0, sold: 2 },
        { available: 10, reserved: 0, sold: 0 },
      ]);
      for (const sku of [a, b]) expect(isConsistent((await repo.reconcile(sku))!)).toBe(true);
    });

    it('should cancel the hold when everything left is released, keeping its lines, with all stock back', async () => {
      const { a, b, held } = await cartOf();
      await repo.releaseIfActive(held.id, [{ sku: a, quantity: 1 }], finishAt(5));
      const all = [
        { sku: a, quantity: 2 },
        { sku: b, quantity: 2 },
      ];
      const cancelled = { ...held, items: all, status: 'CANCELLED', finishedAt: at(6) };
      expect(await repo.releaseIfActive(held.id, all, finishAt(6))).toEqual({ status: 'released', reservation: cancelled });
      expect(await repo.findById(held.id)).toEqual(cancelled);
      expect([await levels(a), await levels(b)]).toEqual([
        { available: 10, reserved: 0, sold: 0 },
        { available: 10, reserved: 0, sold: 0 },
      ]);
    });

    it('should move nothing when a line asks for more than the hold holds, naming that line (held 0 when absent)', async () => {
      const { a, b, c, held } = await cartOf();
      const release = (lines: HoldLine[]) => repo.releaseIfActive(held.id, mergeLines(lines), finishAt(5));
      expect(
        await release([
          { sku: a, quantity: 1 },
          { sku: b, quantity: 3 },
        ]),
      ).toEqual({ status: 'exceeds', sku: b, held: 2, requested: 3 });
      expect(await release([{ sku: c, quantity: 1 }])).toEqual({ status: 'exceeds', sku: c, held: 0, requested: 1 });
      expect(await repo.findById(held.id)).toEqual(held);
      expect([await levels(a), await levels(b), await levels(c)]).toEqual([
        { available: 7, reserved: 3, sold: 0 },
        { available: 8, reserved: 2, sold: 0 },
        { available: 10, reserved: 0, sold: 0 },
      ]);
    });

    it('should refuse a due, finished or unknown hold as not_active', async () => {
      const { a, held } = await cartOf();
      expect(await repo.releaseIfActive(held.id, [{ sku: a, quantity: 1 }], finishAt(300))).toEqual({ status: 'not_active' });
      expect(await repo.releaseIfActive(randomUUID(), [{ sku: a, quantity: 1 }], finishAt(5))).toEqual({ status: 'not_active' });
      await repo.cancelIfActive(held.id, finishAt(5));
      expect(await repo.releaseIfActive(held.id, [{ sku: a, quantity: 1 }], finishAt(6))).toEqual({ status: 'not_active' });
      expect(await levels(a)).toEqual({ available: 10, reserved: 0, sold: 0 });
    });

    it('should keep counters equal to the lines when releases race a confirm or cancel of the same hold', async () => {
      const [a, b] = await skuSet(200, 200);
      const holds = await Promise.all(
        Array.from({ length: 12 }, () =>
          heldCart([
            { sku: a, quantity: 5 },
            { sku: b, quantity: 5 },
          ]),
        ),
      );
      await Promise.all(
        holds.flatMap((h, i) => [
          repo.releaseIfActive(h.id, [{ sku: a, quantity: 2 }], finishAt(5)),
          repo.releaseIfActive(h.id, [{ sku: b, quantity: 1 }], finishAt(5)),
          i % 2 === 0 ? repo.confirmIfActive(h.id, finishAt(5)) : repo.cancelIfActive(h.id, finishAt(5)),
        ]),
      );
      for (const sku of [a, b]) expect(isConsistent((await repo.reconcile(sku))!)).toBe(true);
    });
  });

  describe('carts under concurrency', () => {
    it('should hold 40 concurrent carts over 4 shared SKUs without an error, an oversell or a lost unit', async () => {
      const skus = await skuSet(30, 30, 30, 30);
      // Each cart names 2 to 4 of the SKUs, half listing them in reverse (the port receives them in SKU byte order).
      const requests = Array.from({ length: 40 }, (_, i) => {
        const picked = (i % 2 === 0 ? skus : [...skus].reverse()).slice(i % 3, (i % 3) + 2 + (i % 3));
        return cart(picked.map((sku, n) => ({ sku, quantity: 1 + ((i + n) % 3) })));
      });
      const results = await Promise.all(requests.map((request, i) => repo.tryReserve(request, i % 4 === 3 ? 1000 : null)));
      expect(new Set(results.map((r) => r.status))).toEqual(new Set(['reserved', 'insufficient']));
      const holds = results.flatMap((r: ReserveResult) => (r.status === 'reserved' ? [r.reservation] : []));
      const unitsOf = (sku: string, of = holds) => of.reduce((total, h) => total + (h.items.find((l) => l.sku === sku)?.quantity ?? 0), 0);
      for (const sku of skus) {
        expect(await levels(sku)).toEqual({ available: 30 - unitsOf(sku), reserved: unitsOf(sku), sold: 0 });
        expect(isConsistent((await repo.reconcile(sku))!)).toBe(true);
      }
      // Then every hold ends or shrinks at once, some in the same instant.
      await Promise.all(
        holds.map((h, i) =>
          i % 3 === 0
            ? repo.confirmIfActive(h.id, finishAt(5))
            : i % 3 === 1
              ? repo.cancelIfActive(h.id, finishAt(5))
              : repo.releaseIfActive(h.id, [h.items[h.items.length - 1]], finishAt(5)),
        ),
      );
      const confirmed = holds.filter((_, i) => i % 3 === 0);
      for (const sku of skus) {
        const reconciliation = (await repo.reconcile(sku))!;
        expect(isConsistent(reconciliation)).toBe(true);
        expect(reconciliation.soldQuantity).toBe(unitsOf(sku, confirmed));
      }
    });
  });
});
