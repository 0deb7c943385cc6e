import request from 'supertest';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { uniqueSku } from '../support/unique';

/** `stockBuckets` over HTTP: PostgreSQL and PGlite store it; MongoDB answers 400 STOCK_BUCKETS_UNSUPPORTED above 1. */
describeEachBackend('Stock buckets API', ALL_BACKENDS, (backend) => {
  const supported = backend !== 'mongo';
  let database: TestDatabase;
  let testApp: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config);
    http = withKey(testApp.server);
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  const create = (body: Record<string, unknown>) => http.post('/api/v1/admin/inventory').send(body);

  it('should default stockBuckets to 1 and show it on admin reads', async () => {
    const sku = uniqueSku();
    expect((await create({ sku, productName: 'Plain', totalQuantity: 5 }).expect(201)).body.data.stockBuckets).toBe(1);
    const list = await http.get('/api/v1/admin/inventory/all?limit=100').expect(200);
    expect(list.body.data.items.find((item: { sku: string }) => item.sku === sku)).toMatchObject({ stockBuckets: 1 });
  });

  it.each([0, 65, 2.5, '8', null])('should answer 400 VALIDATION_FAILED naming stockBuckets for %p', async (stockBuckets) => {
    const sku = uniqueSku();
    const response = await create({ sku, productName: 'Hot', totalQuantity: 5, stockBuckets }).expect(400);
    expect(response.body).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
    expect(response.body.errors.map((error: { field: string }) => error.field)).toContain('stockBuckets');
    await http.get(`/api/v1/inventory/${sku}`).expect(404);
  });

  if (supported) {
    it('should create with stockBuckets, read it back, sell from it and change it with PUT', async () => {
      const sku = uniqueSku('HOT');
      const created = await create({ sku, productName: 'Hot', totalQuantity: 37, stockBuckets: 8 }).expect(201);
      expect(created.body.data).toMatchObject({ sku, totalQuantity: 37, availableQuantity: 37, stockBuckets: 8 });
      await http.post('/api/v1/inventory/reserve').set('Idempotency-Key', `k-${sku}`).send({ sku, userId: 'u1', quantity: 10 }).expect(201);
      expect((await http.get(`/api/v1/inventory/${sku}`).expect(200)).body.data).toMatchObject({ availableQuantity: 27 });
      const updated = await http.put(`/api/v1/admin/inventory/${sku}`).send({ stockBuckets: 3 }).expect(200);
      expect(updated.body.data).toMatchObject({ stockBuckets: 3, availableQuantity: 27, reservedQuantity: 10 });
      const reconcile = await http.get(`/api/v1/admin/inventory/${sku}/reconcile`).expect(200);
      expect(reconcile.body.data.consistent).toBe(true);
      await http.put(`/api/v1/admin/inventory/${sku}`).send({ stockBuckets: 0 }).expect(400);
    });

    it('should take stockBuckets in a bulk create, and refuse a bad one for its item only', async () => {
      const [good, bad] = [uniqueSku(), uniqueSku()];
      const response = await http
        .post('/api/v1/admin/inventory/bulk')
        .send({
          items: [
            { sku: good, productName: 'A', totalQuantity: 4, stockBuckets: 4 },
            { sku: bad, productName: 'B', totalQuantity: 4, stockBuckets: 99 },
          ],
        })
        .expect(201);
      expect(response.body.data).toMatchObject({ success: 1, failed: 1, created: [{ sku: good, stockBuckets: 4 }] });
    });
  } else {
    it('should answer 400 STOCK_BUCKETS_UNSUPPORTED above 1 and create nothing', async () => {
      const sku = uniqueSku();
      const response = await create({ sku, productName: 'Hot', totalQuantity: 5, stockBuckets: 8 }).expect(400);
      expect(response.body).toMatchObject({
        success: false,
        code: 'STOCK_BUCKETS_UNSUPPORTED',
        details: { sku, stockBuckets: 8, maxStockBuckets: 1 },
      });
      await http.get(`/api/v1/inventory/${sku}`).expect(404);
    });
  }
});
