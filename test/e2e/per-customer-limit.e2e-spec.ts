import request from 'supertest';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { appOnFreshDatabase } from '../support/app-per-backend';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, SHARED_BACKENDS, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { reservationSuite, TTL } from '../support/reservation-suite';
import { uniqueSku } from '../support/unique';

type Http = ReturnType<typeof request>;

const base = loadAppConfig({});

async function createCappedSku(http: Http, totalQuantity: number, maxPerCustomer?: number | null): Promise<string> {
  const sku = uniqueSku();
  await http.post('/api/v1/admin/inventory').send({ sku, productName: 'Console', totalQuantity, maxPerCustomer }).expect(201);
  return sku;
}

/** A SKU's maxPerCustomer: set, shown and changed through the admin API, and enforced on reserve. */
describeEachBackend('Per-customer limit', ALL_BACKENDS, (backend) => {
  const suite = reservationSuite(backend);
  let api: ReservationApi;
  beforeAll(() => {
    api = suite.api;
  });

  describe('admin API', () => {
    it('should create a SKU with a cap and show it in the item and the list', async () => {
      const sku = uniqueSku('CAP');
      const created = await api.http
        .post('/api/v1/admin/inventory')
        .send({ sku, productName: 'Console', totalQuantity: 10, maxPerCustomer: 2 })
        .expect(201);
      expect(created.body.data).toMatchObject({ sku, maxPerCustomer: 2 });
      const list = await api.http.get('/api/v1/admin/inventory/all').query({ limit: 100 }).expect(200);
      expect(list.body.data.items.find((item: { sku: string }) => item.sku === sku)).toMatchObject({ maxPerCustomer: 2 });
    });

    it('should show no cap as null', async () => {
      const sku = await createCappedSku(api.http, 10);
      const list = await api.http.get('/api/v1/admin/inventory/all').query({ limit: 100 }).expect(200);
      expect(list.body.data.items.find((item: { sku: string }) => item.sku === sku).maxPerCustomer).toBeNull();
    });

    it('should set a cap on update, keep it through other changes, and remove it with null', async () => {
      const sku = await createCappedSku(api.http, 10);
      const put = (body: Record<string, unknown>) => api.http.put(`/api/v1/admin/inventory/${sku}`).send(body);
      expect((await put({ maxPerCustomer: 3 }).expect(200)).body.data).toMatchObject({ maxPerCustomer: 3 });
      expect((await put({ productName: 'Renamed' }).expect(200)).body.data).toMatchObject({ productName: 'Renamed', maxPerCustomer: 3 });
      expect((await put({ maxPerCustomer: null }).expect(200)).body.data).toMatchObject({ maxPerCustomer: null });
    });

    it("should take each bulk item's cap", async () => {
      const [a, b] = [uniqueSku(), uniqueSku()];
      const response = await api.http
        .post('/api/v1/admin/inventory/bulk')
        .send({
          items: [
            { sku: a, productName: 'A', totalQuantity: 5, maxPerCustomer: 1 },
            { sku: b, productName: 'B', totalQuantity: 5, maxPerCustomer: 0 },
          ],
        })
        .expect(201);
      expect(response.body.data.created).toEqual([expect.objectContaining({ sku: a, maxPerCustomer: 1 })]);
      expect(response.body.data.errors).toEqual([
        expect.objectContaining({
          index: 1,
          code: 'VALIDATION_FAILED',
          message: 'items[1].maxPerCustomer: maxPerCustomer must not be less than 1',
        }),
      ]);
    });

    it.each([
      ['zero', 0, 'maxPerCustomer must not be less than 1'],
      ['fractional', 1.5, 'maxPerCustomer must be an integer'],
      ['a string', '2', 'maxPerCustomer must be an integer'],
    ])('should answer 400 naming the field for a cap that is %s', async (_label, maxPerCustomer, message) => {
      const response = await api.http
        .post('/api/v1/admin/inventory')
        .send({ sku: uniqueSku(), productName: 'X', totalQuantity: 1, maxPerCustomer })
        .expect(400);
      expect(response.body.errors).toEqual([{ field: 'maxPerCustomer', messages: [message] }]);
    });
  });

  describe('POST /api/v1/inventory/reserve', () => {
    it('should answer 409 PER_CUSTOMER_LIMIT_EXCEEDED naming the cap and the units held, and hold nothing', async () => {
      const sku = await createCappedSku(api.http, 10, 3);
      await api.reserve({ sku, userId: 'customer-7', quantity: 2 }).expect(201);
      const response = await api.reserve({ sku, userId: 'customer-7', quantity: 2 }).expect(409);
      expect(response.body).toEqual({
        success: false,
        code: 'PER_CUSTOMER_LIMIT_EXCEEDED',
        message: `Per-customer limit for '${sku}' is 3 unit(s): this customer already holds 2, requested 2`,
        details: { sku, userId: 'customer-7', maxPerCustomer: 3, heldByCustomer: 2, requested: 2 },
        requestId: expect.any(String),
      });
      await suite.expectConsistent(sku, { available: 8, reserved: 2, sold: 0 });
      await api.reserve({ sku, userId: 'customer-8', quantity: 3 }).expect(201);
      await api.reserve({ sku, userId: 'customer-7', quantity: 1 }).expect(201);
    });

    it('should give the allowance back when a hold is cancelled, confirmed holds no longer counting either', async () => {
      const sku = await createCappedSku(api.http, 10, 2);
      const first = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data;
      await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(409);
      await api.cancel(first.reservationId).expect(200);
      const second = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data;
      await api.confirm(second.reservationId).expect(200);
      await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201);
      await suite.expectConsistent(sku, { available: 6, reserved: 2, sold: 2 });
    });

    it('should not count a hold past its time, even before the sweep', async () => {
      const sku = await createCappedSku(api.http, 10, 2);
      await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201);
      shiftClock(suite.testApp.app, TTL + 1);
      await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201);
    });

    it('should grant exactly 2 of 20 concurrent reserves by one customer against a cap of 2', async () => {
      const sku = await createCappedSku(api.http, 50, 2);
      const responses = await Promise.all(Array.from({ length: 20 }, () => api.reserve({ sku, userId: 'bot', quantity: 1 })));
      expect(responses.filter((r) => r.status === 201)).toHaveLength(2);
      const refused = responses.filter((r) => r.status === 409);
      expect(refused).toHaveLength(18);
      expect(refused.every((r) => r.body.code === 'PER_CUSTOMER_LIMIT_EXCEEDED')).toBe(true);
      await suite.expectConsistent(sku, { available: 48, reserved: 2, sold: 0 });
    });
  });
});

/** RESERVATION_MAX_PER_CUSTOMER and RESERVATION_MAX_QUANTITY, as an instance configured with them answers. */
describeEachBackend('Configured reservation limits', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend, { reservations: { ...base.reservations, maxPerCustomer: 1, maxQuantity: 5 } });
  let api: ReservationApi;
  beforeAll(() => {
    api = new ReservationApi(withKey(app.testApp.server));
  });

  it("should cap a SKU without a cap of its own at the default, and let the SKU's own cap win", async () => {
    const open = await createCappedSku(api.http, 10);
    await api.reserve({ sku: open, userId: 'u', quantity: 1 }).expect(201);
    const refused = await api.reserve({ sku: open, userId: 'u', quantity: 1 }).expect(409);
    expect(refused.body.details).toEqual({ sku: open, userId: 'u', maxPerCustomer: 1, heldByCustomer: 1, requested: 1 });
    const own = await createCappedSku(api.http, 10, 4);
    await api.reserve({ sku: own, userId: 'u', quantity: 4 }).expect(201);
  });

  it('should answer 400 naming quantity above the configured largest hold', async () => {
    const sku = await createCappedSku(api.http, 10, 10);
    const response = await api.reserve({ sku, userId: 'u', quantity: 6 }).expect(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'quantity', messages: ['quantity must not be greater than 5'] }],
    });
    await api.reserve({ sku, userId: 'u', quantity: 5 }).expect(201);
  });
});

/** The cap holds across instances: the count is made under the SKU's lock (or in its write-conflicting transaction). */
describeEachBackend('Per-customer limit on two instances', SHARED_BACKENDS, (backend) => {
  let database: TestDatabase;
  let instances: TestApp[];
  let a: ReservationApi;
  let b: ReservationApi;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    instances = [await createTestApp(database.config), await createTestApp(database.config)];
    [a, b] = instances.map((instance) => new ReservationApi(withKey(instance.server)));
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    await database.dispose();
  });

  it('should grant exactly 2 of 20 reserves of 1 unit by one customer spread over both instances, cap 2', async () => {
    const sku = await createCappedSku(a.http, 100, 2);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).reserve({ sku, userId: 'reseller', quantity: 1 })),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = responses.filter((r) => r.status === 409);
    expect(refused).toHaveLength(18);
    expect(refused.every((r) => r.body.code === 'PER_CUSTOMER_LIMIT_EXCEEDED' && r.body.details.maxPerCustomer === 2)).toBe(true);
    expect(await b.reconcile(sku)).toMatchObject({
      counters: { availableQuantity: 98, reservedQuantity: 2, soldQuantity: 0 },
      fromReservations: { reservedQuantity: 2, soldQuantity: 0 },
      consistent: true,
    });
  });
});
