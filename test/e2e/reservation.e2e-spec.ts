import { Clock, IdempotencyService, ReservationService } from '@app/core';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { ReservationExpiryJob } from '../../apps/api/src/reservation/reservation-expiry.job';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';

const TTL = 300;

describeEachBackend('Reservation lifecycle', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let api: ReservationApi;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    const base = loadAppConfig({});
    testApp = await createTestApp(database.config, {
      reservations: { ...base.reservations, ttlSeconds: TTL, sweepIntervalSeconds: 3_600 },
      idempotency: { ...base.idempotency, leaseSeconds: 30 },
    });
    api = new ReservationApi(request(testApp.server));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  const expectConsistent = async (sku: string, expected: { available: number; reserved: number; sold: number }) => {
    const r = await api.reconcile(sku);
    expect(r.counters).toMatchObject({ availableQuantity: expected.available, reservedQuantity: expected.reserved, soldQuantity: expected.sold });
    expect(r.fromReservations).toEqual({ reservedQuantity: expected.reserved, soldQuantity: expected.sold });
    expect(r.consistent).toBe(true);
  };

  describe('POST /api/v1/inventory/reserve', () => {
    it('should hold stock and answer 201 with the fields of the original service', async () => {
      const sku = await api.createSku(10);
      const before = Date.now();
      const response = await api.reserve({ sku, userId: 'customer-101', quantity: 4 }, 'order-12345-' + sku).expect(201);
      expect(response.body).toEqual({
        success: true,
        message: 'Inventory reserved successfully',
        data: {
          reservationId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
          sku,
          userId: 'customer-101',
          quantity: 4,
          status: 'RESERVED',
          expiresAt: expect.any(String),
          secondsLeft: TTL,
          idempotencyKey: 'order-12345-' + sku,
          createdAt: expect.any(String),
          finishedAt: null,
        },
      });
      const expiresAt = Date.parse(response.body.data.expiresAt);
      expect(expiresAt).toBeGreaterThanOrEqual(before + TTL * 1000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + TTL * 1000);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      await expectConsistent(sku, { available: 6, reserved: 4, sold: 0 });
    });

    it('should take the key from X-Idempotency-Key or the body, the Idempotency-Key header winning', async () => {
      const sku = await api.createSku(10);
      const fromX = await api.http.post('/api/v1/inventory/reserve').set('X-Idempotency-Key', `x-${sku}`).send({ sku, userId: 'u', quantity: 1 }).expect(201);
      expect(fromX.body.data.idempotencyKey).toBe(`x-${sku}`);
      const fromBody = await api.reserve({ sku, userId: 'u', quantity: 1, idempotencyKey: `b-${sku}` }, null).expect(201);
      expect(fromBody.body.data.idempotencyKey).toBe(`b-${sku}`);
      const both = await api.reserve({ sku, userId: 'u', quantity: 1, idempotencyKey: `b2-${sku}` }, `h-${sku}`).expect(201);
      expect(both.body.data.idempotencyKey).toBe(`h-${sku}`);
    });

    it('should answer 400 without an idempotency key, and hold nothing', async () => {
      const sku = await api.createSku(10);
      const response = await api.reserve({ sku, userId: 'u', quantity: 1 }, null).expect(400);
      expect(response.body.errors[0].field).toBe('Idempotency-Key');
      await expectConsistent(sku, { available: 10, reserved: 0, sold: 0 });
    });

    it.each([
      ['too long', 'k'.repeat(256)],
      ['with a control character', 'bad\u0001key'],
      ['with a leading space', ' key'],
    ])('should answer 400 for a key %s', async (_label, key) => {
      const sku = await api.createSku(1);
      await api.reserve({ sku, userId: 'u', quantity: 1, idempotencyKey: key }, null).expect(400);
    });

    it.each([
      ['zero', 0],
      ['negative', -1],
      ['over the bound', 10_001],
      ['fractional', 1.5],
      ['a string', '2'],
    ])('should answer 400 for a quantity that is %s', async (_label, quantity) => {
      const sku = await api.createSku(100_000);
      const response = await api.reserve({ sku, userId: 'u', quantity }).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain('quantity');
    });

    it('should answer 400 for unknown fields and blank user ids', async () => {
      const sku = await api.createSku(1);
      await api.reserve({ sku, userId: 'u', quantity: 1, price: 5 }).expect(400);
      await api.reserve({ sku, userId: '  ', quantity: 1 }).expect(400);
    });

    it('should answer 404 for an unknown SKU', async () => {
      const response = await api.reserve({ sku: 'NO-SUCH-SKU', userId: 'u', quantity: 1 }).expect(404);
      expect(response.body.code).toBe('INVENTORY_NOT_FOUND');
    });

    it('should answer 409 with "Insufficient" when stock is short, and hold nothing', async () => {
      const sku = await api.createSku(3);
      const response = await api.reserve({ sku, userId: 'u', quantity: 4 }).expect(409);
      expect(response.body).toMatchObject({ success: false, code: 'INSUFFICIENT_STOCK' });
      expect(response.body.message).toContain('Insufficient');
      await expectConsistent(sku, { available: 3, reserved: 0, sold: 0 });
    });

    it('should count stock of due holds as free before any sweep has run', async () => {
      const sku = await api.createSku(2);
      const old = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data;
      shiftClock(testApp.app, TTL + 1);
      await api.reserve({ sku, userId: 'v', quantity: 1 }).expect(201);
      expect((await api.get(old.reservationId)).body.data.status).toBe('EXPIRED');
      await expectConsistent(sku, { available: 1, reserved: 1, sold: 0 });
    });

    it('should grant exactly min(N, S) of N concurrent reserves and answer 409 to the rest', async () => {
      const sku = await api.createSku(12);
      const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => api.reserve({ sku, userId: `u${i}`, quantity: 1 })));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(12);
      expect(responses.filter((r) => r.status === 409)).toHaveLength(18);
      await expectConsistent(sku, { available: 0, reserved: 12, sold: 0 });
    });
  });

  describe('idempotency', () => {
    it('should replay the original response for the same key and payload, moving nothing', async () => {
      const sku = await api.createSku(10);
      const key = randomUUID();
      const first = await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(201);
      const again = await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      await expectConsistent(sku, { available: 8, reserved: 2, sold: 0 });
    });

    it('should answer 422 for the same key with a different payload', async () => {
      const sku = await api.createSku(10);
      const key = randomUUID();
      await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(201);
      const response = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(422);
      expect(response.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await expectConsistent(sku, { available: 8, reserved: 2, sold: 0 });
    });

    it('should replay a stored 409 for the same key even after stock returns', async () => {
      const sku = await api.createSku(1);
      const key = randomUUID();
      await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(409);
      await api.http.put(`/api/v1/admin/inventory/${sku}`).send({ totalQuantity: 5, availableQuantity: 5 }).expect(200);
      const again = await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(409);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body.message).toContain('Insufficient');
    });

    it('should not consume a key on a validation failure', async () => {
      const sku = await api.createSku(5);
      const key = randomUUID();
      await api.reserve({ sku, userId: 'u', quantity: 0 }, key).expect(400);
      await api.reserve({ sku, userId: 'u', quantity: 1 }, key).expect(201);
    });

    it('should create one hold for concurrent duplicates: the rest get 409 in flight or the replay', async () => {
      const sku = await api.createSku(10);
      const key = randomUUID();
      const responses = await Promise.all(Array.from({ length: 10 }, () => api.reserve({ sku, userId: 'u', quantity: 1 }, key)));
      const fresh = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
      const replays = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === 'true');
      const inFlight = responses.filter((r) => r.status === 409);
      expect(fresh).toHaveLength(1);
      expect(replays.length + inFlight.length).toBe(9);
      for (const r of inFlight) expect(r.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      for (const r of replays) expect(r.body.data.reservationId).toBe(fresh[0].body.data.reservationId);
      await expectConsistent(sku, { available: 9, reserved: 1, sold: 0 });
    });

    it.each([
      ['stock to spare', 10],
      ['the last units taken by the first attempt', 3],
    ])('should not create a second hold when a retry follows a crash between commit and response (%s)', async (_label, total) => {
      const sku = await api.createSku(total);
      const key = randomUUID();
      const idempotency = testApp.app.get(IdempotencyService);
      // The hold commits, then storing the response fails, as if the process died before answering.
      jest.spyOn(idempotency, 'complete').mockRejectedValueOnce(new Error('process died'));
      await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(500);
      await expectConsistent(sku, { available: total - 3, reserved: 3, sold: 0 });

      const early = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(409);
      expect(early.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');

      shiftClock(testApp.app, 31);
      const retry = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(201);
      expect(retry.body.data).toMatchObject({ sku, quantity: 3, idempotencyKey: key, status: 'RESERVED' });
      await expectConsistent(sku, { available: total - 3, reserved: 3, sold: 0 });
      const replay = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.data.reservationId).toBe(retry.body.data.reservationId);
    });

    it('should still find the hold by its key once the idempotency record is purged', async () => {
      const sku = await api.createSku(10);
      const key = randomUUID();
      const first = await api.reserve({ sku, userId: 'u', quantity: 1 }, key).expect(201);
      shiftClock(testApp.app, 25 * 3600);
      await testApp.app.get(ReservationExpiryJob).purge();
      const again = await api.reserve({ sku, userId: 'u', quantity: 1 }, key).expect(201);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.body.data.reservationId).toBe(first.body.data.reservationId);

      // Once that record is purged too, another payload under the key is caught by the hold itself.
      jest.restoreAllMocks();
      shiftClock(testApp.app, 50 * 3600);
      await testApp.app.get(ReservationExpiryJob).purge();
      const reused = await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(422);
      expect(reused.headers['idempotent-replayed']).toBeUndefined();
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await expectConsistent(sku, { available: 9, reserved: 1, sold: 0 });
    });
  });

  describe('GET /api/v1/reservations/:id', () => {
    it('should show the hold with the seconds left', async () => {
      const sku = await api.createSku(5);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
      const response = await api.get(held.reservationId).expect(200);
      expect(response.body.data).toMatchObject({ reservationId: held.reservationId, status: 'RESERVED', expiresAt: held.expiresAt });
      expect(response.body.data.secondsLeft).toBeGreaterThan(TTL - 5);
      expect(response.body.data.secondsLeft).toBeLessThanOrEqual(TTL);
    });

    it('should show a due hold as EXPIRED before any sweep', async () => {
      const sku = await api.createSku(5);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
      shiftClock(testApp.app, TTL + 1);
      expect((await api.get(held.reservationId).expect(200)).body.data).toMatchObject({ status: 'EXPIRED', secondsLeft: 0 });
    });

    it('should answer 404 for an unknown id and 400 for a malformed one', async () => {
      await api.get(randomUUID()).expect(404);
      const response = await api.get('not-a-uuid').expect(400);
      expect(response.body.errors).toEqual([{ field: 'reservationId', messages: ['reservationId must be a UUID'] }]);
    });
  });

  describe('POST /api/v1/checkout/confirm', () => {
    it('should confirm, and confirm again with the same result, selling the units once', async () => {
      const sku = await api.createSku(10);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 3 }).expect(201)).body.data;
      const first = await api.confirm(held.reservationId).expect(200);
      expect(first.body).toMatchObject({ success: true, message: 'Checkout confirmed successfully', data: { reservationId: held.reservationId, status: 'CONFIRMED' } });
      const again = await api.confirm(held.reservationId).expect(200);
      expect(again.body.data).toEqual(first.body.data);
      await expectConsistent(sku, { available: 7, reserved: 0, sold: 3 });
    });

    it('should answer 410 for a hold whose time has passed, and expire it durably with its stock returned', async () => {
      const sku = await api.createSku(10);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 3 }).expect(201)).body.data;
      const shifted = shiftClock(testApp.app, TTL + 1);
      const response = await api.confirm(held.reservationId).expect(410);
      expect(response.body).toMatchObject({ success: false, code: 'RESERVATION_EXPIRED' });
      shifted.mockRestore();
      expect((await api.get(held.reservationId)).body.data.status).toBe('EXPIRED');
      await api.confirm(held.reservationId).expect(410);
      await expectConsistent(sku, { available: 10, reserved: 0, sold: 0 });
    });

    it('should answer 409 for a cancelled hold, 404 for an unknown one, 400 for a non-UUID', async () => {
      const sku = await api.createSku(10);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
      await api.cancel(held.reservationId).expect(200);
      expect((await api.confirm(held.reservationId).expect(409)).body.code).toBe('RESERVATION_STATE_CONFLICT');
      await api.confirm(randomUUID()).expect(404);
      await api.confirm('nope').expect(400);
      await api.http.post('/api/v1/checkout/confirm').send({}).expect(400);
    });
  });

  describe('POST /api/v1/checkout/cancel', () => {
    it('should cancel and return the stock once, even when cancelled again', async () => {
      const sku = await api.createSku(10);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 4 }).expect(201)).body.data;
      const first = await api.cancel(held.reservationId).expect(200);
      expect(first.body).toMatchObject({ message: 'Checkout cancelled successfully', data: { status: 'CANCELLED' } });
      await api.cancel(held.reservationId).expect(200);
      await expectConsistent(sku, { available: 10, reserved: 0, sold: 0 });
    });

    it('should answer 409 for a confirmed hold', async () => {
      const sku = await api.createSku(10);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
      await api.confirm(held.reservationId).expect(200);
      await api.cancel(held.reservationId).expect(409);
      await expectConsistent(sku, { available: 9, reserved: 0, sold: 1 });
    });

    it('should answer 200 EXPIRED for a hold whose time has passed, returning its stock exactly once', async () => {
      const sku = await api.createSku(10);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 4 }).expect(201)).body.data;
      shiftClock(testApp.app, TTL + 1);
      const response = await api.cancel(held.reservationId).expect(200);
      expect(response.body.data.status).toBe('EXPIRED');
      await api.cancel(held.reservationId).expect(200);
      await testApp.app.get(ReservationExpiryJob).sweep();
      await expectConsistent(sku, { available: 10, reserved: 0, sold: 0 });
    });
  });

  describe('races', () => {
    it('should end every hold in exactly one state when confirm races cancel', async () => {
      const sku = await api.createSku(40);
      const holds = await Promise.all(Array.from({ length: 20 }, () => api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)));
      const outcomes = await Promise.all(
        holds.map(async (h) => {
          const id = h.body.data.reservationId;
          const [confirm, cancel] = await Promise.all([api.confirm(id), api.cancel(id)]);
          return { confirm: confirm.status, cancel: cancel.status, final: (await api.get(id)).body.data.status };
        }),
      );
      for (const o of outcomes) {
        expect([o.confirm, o.cancel].sort()).toEqual([200, 409]);
        expect(o.final).toBe(o.confirm === 200 ? 'CONFIRMED' : 'CANCELLED');
      }
      const sold = outcomes.filter((o) => o.final === 'CONFIRMED').length * 2;
      await expectConsistent(sku, { available: 40 - sold, reserved: 0, sold });
    });

    it('should end every hold in exactly one state when confirm and cancel race the sweeper', async () => {
      const sku = await api.createSku(60);
      const holds = await Promise.all(Array.from({ length: 30 }, () => api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)));
      // Time runs 1 ms per reading from just before the first expiry, so early confirms and cancels win
      // and later ones find their hold due and lose to the sweepers.
      const clock = testApp.app.get(Clock);
      let reading = Math.min(...holds.map((h) => Date.parse(h.body.data.expiresAt))) - 10;
      jest.spyOn(clock, 'now').mockImplementation(() => new Date(reading++));
      const job = testApp.app.get(ReservationExpiryJob);
      const results = await Promise.all([
        ...holds.map((h, i) => (i % 2 === 0 ? api.confirm(h.body.data.reservationId) : api.cancel(h.body.data.reservationId))),
        job.sweep(),
        testApp.app.get(ReservationService).expireDue(),
      ]);
      let sold = 0;
      for (const [i, h] of holds.entries()) {
        const response = results[i] as request.Response;
        const final = (await api.get(h.body.data.reservationId)).body.data.status;
        expect(final).not.toBe('RESERVED');
        if (i % 2 === 0) expect(response.status === 410 ? 'EXPIRED' : 'CONFIRMED').toBe(final);
        else expect(response.body.data.status).toBe(final);
        if (final === 'CONFIRMED') sold += 2;
      }
      jest.restoreAllMocks();
      await testApp.app.get(ReservationExpiryJob).sweep();
      await expectConsistent(sku, { available: 60 - sold, reserved: 0, sold });
    });
  });

  describe('expiry sweeper and purge', () => {
    it('should expire due holds in a sweep and return their stock exactly once', async () => {
      const sku = await api.createSku(10);
      await Promise.all([1, 2, 3].map(() => api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)));
      shiftClock(testApp.app, TTL + 1);
      const job = testApp.app.get(ReservationExpiryJob);
      await job.sweep();
      expect(await job.sweep()).toBe(0);
      await expectConsistent(sku, { available: 10, reserved: 0, sold: 0 });
    });

    it('should purge finished holds after the retention and keep active ones', async () => {
      const sku = await api.createSku(10);
      const finished = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
      await api.confirm(finished.reservationId).expect(200);
      shiftClock(testApp.app, 8 * 24 * 3600);
      const active = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
      const purged = await testApp.app.get(ReservationExpiryJob).purge();
      expect(purged.reservations).toBeGreaterThanOrEqual(1);
      await api.get(finished.reservationId).expect(404);
      await api.get(active.reservationId).expect(200);
    });
  });

  describe('GET /api/v1/admin/inventory/:sku/reconcile', () => {
    it('should report counters next to the sums of the holds', async () => {
      const sku = await api.createSku(10);
      const a = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data;
      await api.reserve({ sku, userId: 'u', quantity: 3 }).expect(201);
      await api.confirm(a.reservationId).expect(200);
      const response = await api.http.get(`/api/v1/admin/inventory/${sku}/reconcile`).expect(200);
      expect(response.body.data).toEqual({
        sku,
        counters: { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 },
        fromReservations: { reservedQuantity: 3, soldQuantity: 2 },
        consistent: true,
      });
    });

    it('should answer 404 for an unknown SKU', async () => {
      await api.http.get('/api/v1/admin/inventory/NO-SUCH-SKU/reconcile').expect(404);
    });
  });
});
