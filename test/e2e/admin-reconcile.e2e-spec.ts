import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { ReservationApi } from '../support/reservation-api';
import { reservationSuite } from '../support/reservation-suite';

/** GET /api/v1/admin/inventory/:sku/reconcile. */
describeEachBackend('Reservation lifecycle', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  let api: ReservationApi;
  beforeAll(() => {
    ({ api } = suite);
  });

  describe('GET /api/v1/admin/inventory/:sku/reconcile', () => {
    it('should report counters next to the sums of the holds and of the ledger', async () => {
      const sku = await api.createSku(10);
      const a = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data;
      await api.reserve({ sku, userId: 'u', quantity: 3 }).expect(201);
      await api.confirm(a.reservationId).expect(200);
      const response = await api.http.get(`/api/v1/admin/inventory/${sku}/reconcile`).expect(200);
      expect(response.body.data).toEqual({
        sku,
        counters: { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 },
        fromReservations: { reservedQuantity: 3, soldQuantity: 2 },
        fromLedger: { totalQuantity: 10, availableQuantity: 5, reservedQuantity: 3, soldQuantity: 2 },
        consistent: true,
      });
    });

    it('should answer 404 for an unknown SKU', async () => {
      await api.http.get('/api/v1/admin/inventory/NO-SUCH-SKU/reconcile').expect(404);
    });
  });
});
