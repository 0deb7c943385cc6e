import { CheckoutService, IdempotencyService, ReservationService } from '@app/core';
import { randomUUID } from 'node:crypto';
import { RetentionPurgeJob } from '../../apps/api/src/reservation/retention-purge.job';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TestApp } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { reservationSuite } from '../support/reservation-suite';

/** Idempotency keys on POST /api/v1/inventory/reserve: replays, reuse, duplicates in flight, crashes and purges. */
describeEachBackend('Reservation lifecycle', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  const { expectConsistent } = suite;
  let testApp: TestApp;
  let api: ReservationApi;
  beforeAll(() => {
    ({ testApp, api } = suite);
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
    ])('should replay, not hold again, when a retry follows a crash between commit and response (%s)', async (_label, total) => {
      const sku = await api.createSku(total);
      const key = randomUUID();
      const reservations = testApp.app.get(ReservationService);
      const hold = reservations.hold.bind(reservations);
      // The hold commits with its idempotency record (one statement), then the process dies before answering.
      jest.spyOn(reservations, 'hold').mockImplementationOnce(async (...args) => {
        await hold(...args);
        throw new Error('process died');
      });
      await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(500);
      await expectConsistent(sku, { available: total - 3, reserved: 3, sold: 0 });

      const retry = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.data).toMatchObject({ sku, quantity: 3, idempotencyKey: key, status: 'RESERVED' });
      await expectConsistent(sku, { available: total - 3, reserved: 3, sold: 0 });
      const other = await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it("should not create a second hold when the claim's way crashes between commit and response", async () => {
      const sku = await api.createSku(10);
      const key = randomUUID();
      const first = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(201);
      // The record is purged, the hold is not: the next request with the key goes the claim's way (claim, run, store).
      shiftClock(testApp.app, 25 * 3600);
      await testApp.app.get(RetentionPurgeJob).purge();
      jest.restoreAllMocks();
      shiftClock(testApp.app, 25 * 3600);
      jest.spyOn(testApp.app.get(IdempotencyService), 'complete').mockRejectedValueOnce(new Error('process died'));
      await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(500);

      const early = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(409);
      expect(early.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      jest.restoreAllMocks();
      shiftClock(testApp.app, 25 * 3600 + 31);
      const retry = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(201);
      expect(retry.body.data.reservationId).toBe(first.body.data.reservationId);
      const replay = await api.reserve({ sku, userId: 'u', quantity: 3 }, key).expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.data.reservationId).toBe(first.body.data.reservationId);
      await expectConsistent(sku, { available: 7, reserved: 3, sold: 0 });
    });

    it.each(['confirm', 'cancel'] as const)(
      'should %s with a key in one step and replay the same answer, moving stock once',
      async (ending) => {
        const sku = await api.createSku(10);
        const id = (await api.reserve({ sku, userId: 'u', quantity: 3 }).expect(201)).body.data.reservationId as string;
        const key = randomUUID();
        const first = await api[ending](id, key).expect(200);
        expect(first.body.data).toMatchObject({
          reservationId: id,
          status: ending === 'confirm' ? 'CONFIRMED' : 'CANCELLED',
          secondsLeft: 0,
        });
        const again = await api[ending](id, key).expect(200);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.body).toEqual(first.body);
        const other = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data.reservationId as string;
        expect((await api[ending](other, key).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
        const levels = ending === 'confirm' ? { available: 6, reserved: 1, sold: 3 } : { available: 9, reserved: 1, sold: 0 };
        await expectConsistent(sku, levels);
      },
    );

    it('should replay a confirm whose answer was lost after it committed', async () => {
      const sku = await api.createSku(10);
      const id = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data.reservationId as string;
      const checkout = testApp.app.get(CheckoutService);
      const confirm = checkout.confirm.bind(checkout);
      jest.spyOn(checkout, 'confirm').mockImplementationOnce(async (...args) => {
        await confirm(...args);
        throw new Error('process died');
      });
      const key = randomUUID();
      await api.confirm(id, key).expect(500);
      const retry = await api.confirm(id, key).expect(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.data).toMatchObject({ reservationId: id, status: 'CONFIRMED', items: [{ sku, quantity: 2 }] });
      expect(retry.body).toEqual((await api.confirm(id).expect(200)).body);
      await expectConsistent(sku, { available: 8, reserved: 0, sold: 2 });
    });

    it("should answer a keyed confirm of a hold already confirmed the claim's way, and replay it", async () => {
      const sku = await api.createSku(10);
      const id = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data.reservationId as string;
      await api.confirm(id).expect(200);
      const key = randomUUID();
      const late = await api.confirm(id, key).expect(200);
      expect(late.headers['idempotent-replayed']).toBeUndefined();
      expect(late.body.data.status).toBe('CONFIRMED');
      const replay = await api.confirm(id, key).expect(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(late.body);
      await expectConsistent(sku, { available: 9, reserved: 0, sold: 1 });
    });

    it('should still find the hold by its key once the idempotency record is purged', async () => {
      const sku = await api.createSku(10);
      const key = randomUUID();
      const first = await api.reserve({ sku, userId: 'u', quantity: 1 }, key).expect(201);
      shiftClock(testApp.app, 25 * 3600);
      await testApp.app.get(RetentionPurgeJob).purge();
      const again = await api.reserve({ sku, userId: 'u', quantity: 1 }, key).expect(201);
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      expect(again.body.data.reservationId).toBe(first.body.data.reservationId);

      // Once that record is purged too, another payload under the key is caught by the hold itself.
      jest.restoreAllMocks();
      shiftClock(testApp.app, 50 * 3600);
      await testApp.app.get(RetentionPurgeJob).purge();
      const reused = await api.reserve({ sku, userId: 'u', quantity: 2 }, key).expect(422);
      expect(reused.headers['idempotent-replayed']).toBeUndefined();
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await expectConsistent(sku, { available: 9, reserved: 1, sold: 0 });
    });
  });
});
