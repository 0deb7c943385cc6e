import { Clock, ReservationService } from '@app/core';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { ExpirySweepJob } from '../../apps/api/src/reservation/expiry-sweep.job';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TestApp } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { reservationSuite, TTL } from '../support/reservation-suite';

/** POST /api/v1/checkout/confirm and /cancel, and the two racing each other and the sweeper. */
describeEachBackend('Reservation lifecycle', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  const { expectConsistent } = suite;
  let testApp: TestApp;
  let api: ReservationApi;
  beforeAll(() => {
    ({ testApp, api } = suite);
  });

  describe('POST /api/v1/checkout/confirm', () => {
    it('should confirm, and confirm again with the same result, selling the units once', async () => {
      const sku = await api.createSku(10);
      const held = (await api.reserve({ sku, userId: 'u', quantity: 3 }).expect(201)).body.data;
      const first = await api.confirm(held.reservationId).expect(200);
      expect(first.body).toMatchObject({
        success: true,
        message: 'Checkout confirmed successfully',
        data: { reservationId: held.reservationId, status: 'CONFIRMED' },
      });
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
      await testApp.app.get(ExpirySweepJob).sweep();
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
      const job = testApp.app.get(ExpirySweepJob);
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
      await testApp.app.get(ExpirySweepJob).sweep();
      await expectConsistent(sku, { available: 60 - sold, reserved: 0, sold });
    });
  });
});
