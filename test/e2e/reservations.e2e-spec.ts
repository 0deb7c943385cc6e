import { randomUUID } from 'node:crypto';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TestApp } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { reservationSuite, TTL } from '../support/reservation-suite';

/** GET /api/v1/reservations/:id. */
describeEachBackend('Reservation lifecycle', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  let testApp: TestApp;
  let api: ReservationApi;
  beforeAll(() => {
    ({ testApp, api } = suite);
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

    it("should find, confirm and cancel holds by upper-cased ids (Swift's uuidString), answering with the canonical id", async () => {
      const sku = await api.createSku(5);
      const [first, second] = [
        (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data,
        (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data,
      ];
      expect(first.reservationId).toBe(first.reservationId.toLowerCase());
      expect((await api.get(first.reservationId.toUpperCase()).expect(200)).body.data).toMatchObject({
        reservationId: first.reservationId,
      });
      expect((await api.confirm(first.reservationId.toUpperCase()).expect(200)).body.data).toMatchObject({
        reservationId: first.reservationId,
        status: 'CONFIRMED',
      });
      expect((await api.cancel(second.reservationId.toUpperCase()).expect(200)).body.data).toMatchObject({
        reservationId: second.reservationId,
        status: 'CANCELLED',
      });
      expect(await api.reconcile(sku)).toMatchObject({
        consistent: true,
        counters: { availableQuantity: 4, reservedQuantity: 0, soldQuantity: 1 },
      });
    });

    it('should answer 404 for an unknown id and 400 for a malformed one', async () => {
      await api.get(randomUUID()).expect(404);
      const response = await api.get('not-a-uuid').expect(400);
      expect(response.body.errors).toEqual([{ field: 'reservationId', messages: ['reservationId must be a UUID'] }]);
    });
  });
});
