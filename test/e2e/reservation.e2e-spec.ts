import { ReservationExpiryJob } from '../../apps/api/src/reservation/reservation-expiry.job';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TestApp } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { reservationSuite, TTL } from '../support/reservation-suite';

describeEachBackend('Reservation lifecycle', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  const { expectConsistent } = suite;
  let testApp: TestApp;
  let api: ReservationApi;
  beforeAll(() => {
    ({ testApp, api } = suite);
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
});
