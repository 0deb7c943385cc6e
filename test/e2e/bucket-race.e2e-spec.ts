import { randomUUID } from 'node:crypto';
import { createTestDatabase, describeEachBackend, SHARED_BACKENDS, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';
import { uniqueSku } from '../support/unique';

const STOCK = 60;
const BUCKETS = 8;
const REQUESTS = 100;

/**
 * A flash sale: many single-unit reserves of one bucketed SKU from two complete instances on one database. No request
 * may fail with a 5xx, nothing is oversold, and since demand exceeds the stock every unit is sold (no false "sold out"
 * while units remain in some bucket). MongoDB keeps one document per SKU and refuses bucketed SKUs (stock-buckets e2e).
 */
describeEachBackend('Reserves of one bucketed SKU racing on two instances', SHARED_BACKENDS, (backend) => {
  let database: TestDatabase;
  let instances: TestApp[];
  let apis: ReservationApi[];

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    instances = [await createTestApp(database.config), await createTestApp(database.config)];
    apis = instances.map((instance) => new ReservationApi(withKey(instance.server)));
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    await database.dispose();
  });

  const bucketsSupported = () => backend !== 'mongo';

  it('should sell exactly the whole stock, never more, with every refusal a 409 INSUFFICIENT_STOCK', async () => {
    if (!bucketsSupported()) {
      const refused = await apis[0].http
        .post('/api/v1/admin/inventory')
        .send({ sku: uniqueSku(), productName: 'Hot', totalQuantity: STOCK, stockBuckets: BUCKETS });
      expect(refused.body.code).toBe('STOCK_BUCKETS_UNSUPPORTED');
      return;
    }
    const sku = uniqueSku('HOT');
    await apis[0].http
      .post('/api/v1/admin/inventory')
      .send({ sku, productName: 'Hot', totalQuantity: STOCK, stockBuckets: BUCKETS })
      .expect(201);

    const responses = await Promise.all(
      Array.from({ length: REQUESTS }, (_, n) =>
        apis[n % 2].http
          .post('/api/v1/inventory/reserve')
          .set('Idempotency-Key', randomUUID())
          .send({ sku, userId: `shopper-${n}`, quantity: 1 }),
      ),
    );
    expect(responses.filter((r) => r.status !== 201 && r.status !== 409).map((r) => [r.status, r.body])).toEqual([]);
    expect(responses.filter((r) => r.status === 201)).toHaveLength(STOCK);
    for (const r of responses.filter((response) => response.status === 409)) expect(r.body.code).toBe('INSUFFICIENT_STOCK');

    const r = await apis[1].reconcile(sku);
    expect(r.counters).toMatchObject({ totalQuantity: STOCK, availableQuantity: 0, reservedQuantity: STOCK, soldQuantity: 0 });
    expect(r.consistent).toBe(true);

    // Confirm half and cancel half from both instances at once; the cancelled units can be sold again.
    const ids = responses.filter((response) => response.status === 201).map((response) => response.body.data.reservationId as string);
    const endings = await Promise.all(ids.map((id, i) => (i % 2 === 0 ? apis[i % 2].confirm(id) : apis[i % 2].cancel(id))));
    expect(endings.filter((e) => e.status !== 200).map((e) => e.body)).toEqual([]);
    const after = await apis[0].reconcile(sku);
    expect(after.counters).toMatchObject({ availableQuantity: STOCK / 2, reservedQuantity: 0, soldQuantity: STOCK / 2 });
    expect(after.consistent).toBe(true);
  });
});
