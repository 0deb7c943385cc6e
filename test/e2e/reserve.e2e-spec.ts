import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TestApp } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { reservationSuite, TTL } from '../support/reservation-suite';

/** POST /api/v1/inventory/reserve: holding stock, validation, shortage and concurrent reserves. */
describeEachBackend('Reservation lifecycle', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  const { expectConsistent } = suite;
  let testApp: TestApp;
  let api: ReservationApi;
  beforeAll(() => {
    ({ testApp, api } = suite);
  });

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
          items: [{ sku, quantity: 4 }],
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
      const fromX = await api.http
        .post('/api/v1/inventory/reserve')
        .set('X-Idempotency-Key', `x-${sku}`)
        .send({ sku, userId: 'u', quantity: 1 })
        .expect(201);
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
});
