import request from 'supertest';
import { appOnFreshDatabase } from '../support/app-per-backend';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TEST_ADMIN_API_KEY, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';
import { stopScheduledJobs } from '../support/scheduled-jobs';
import { uniqueSku } from '../support/unique';

const API = '/api/v1';

describeEachBackend('GET /inventory?skus= (availability of many SKUs)', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend);
  const anonymous = () => request(app.testApp.server);
  let api: ReservationApi;

  beforeAll(() => {
    stopScheduledJobs(app.testApp.app);
    api = new ReservationApi(withKey(app.testApp.server));
  });

  it('should answer the SKUs found in the order asked, each once, and list the missing ones', async () => {
    const [a, b] = [await api.createSku(10), await api.createSku(4)];
    await api.reserve({ sku: b, userId: 'u', quantity: 3 }).expect(201);
    const gone = uniqueSku('GONE');

    const { body } = await anonymous()
      .get(`${API}/inventory`)
      .query({ skus: `${b},${gone},${a},${b}` })
      .expect(200);

    expect(body).toEqual({
      success: true,
      data: {
        items: [
          { sku: b, productName: 'Item', totalQuantity: 4, availableQuantity: 1 },
          { sku: a, productName: 'Item', totalQuantity: 10, availableQuantity: 10 },
        ],
        missing: [gone],
      },
    });
  });

  it('should also take the parameter repeated (skus=A&skus=B,C)', async () => {
    const [a, b] = [await api.createSku(1), await api.createSku(2)];
    const gone = uniqueSku('GONE');
    const { body } = await anonymous().get(`${API}/inventory?skus=${a}&skus=${gone},${b}`).expect(200);
    expect(body.data.items.map((item: { sku: string }) => item.sku)).toEqual([a, b]);
    expect(body.data.missing).toEqual([gone]);
  });

  it('should answer 200 with every SKU missing, and take 100 distinct SKUs', async () => {
    const skus = Array.from({ length: 100 }, () => uniqueSku('NONE'));
    const { body } = await anonymous()
      .get(`${API}/inventory`)
      .query({ skus: skus.join(',') })
      .expect(200);
    expect(body.data).toEqual({ items: [], missing: skus });
  });

  it('should count a repeated SKU once toward the limit of 100', async () => {
    const skus = Array.from({ length: 100 }, () => uniqueSku('NONE'));
    await anonymous()
      .get(`${API}/inventory`)
      .query({ skus: [...skus, skus[0]].join(',') })
      .expect(200);
  });

  it.each([
    ['no skus', {}, 'skus is required'],
    ['an empty skus', { skus: '' }, "skus has ''"],
    ['an empty entry', { skus: 'A,,B' }, "skus has ''"],
    ['a malformed SKU', { skus: 'GOOD-1,-bad' }, "skus has '-bad'"],
    ['101 distinct SKUs', { skus: Array.from({ length: 101 }, (_, i) => `S${i}`).join(',') }, 'at most 100 distinct SKUs'],
  ])('should answer 400 VALIDATION_FAILED for %s', async (_case, query, message) => {
    const { body } = await anonymous().get(`${API}/inventory`).query(query).expect(400);
    expect(body).toMatchObject({
      success: false,
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'skus', messages: [expect.stringContaining(message)] }],
    });
    expect(body.requestId).toEqual(expect.any(String));
  });

  it('should refuse unknown query fields', async () => {
    const { body } = await anonymous().get(`${API}/inventory`).query({ skus: 'A', page: 1 }).expect(400);
    expect(body.code).toBe('VALIDATION_FAILED');
  });

  it('should leave GET /inventory/:sku as it was', async () => {
    const sku = await api.createSku(3);
    const { body } = await anonymous().get(`${API}/inventory/${sku}`).expect(200);
    expect(body.data).toEqual({ sku, productName: 'Item', totalQuantity: 3, availableQuantity: 3 });
    await anonymous().get(`${API}/inventory/${uniqueSku()}`).expect(404);
  });
});

describeEachBackend('GET /inventory?skus= with CUSTOMER_API_KEY_REQUIRED', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend, { auth: { adminApiKey: TEST_ADMIN_API_KEY, customerKeyRequired: true } });

  it('should need a valid key, of any scope, like GET /inventory/:sku', async () => {
    const sku = await new ReservationApi(withKey(app.testApp.server)).createSku(2);
    const anonymous = () => request(app.testApp.server).get(`${API}/inventory`).query({ skus: sku });
    expect((await anonymous().expect(401)).body.code).toBe('UNAUTHENTICATED');
    await anonymous().set('X-API-Key', 'irs_not-a-real-key-000000000000000000000000').expect(401);
    const reader = (
      await withKey(app.testApp.server)
        .post(`${API}/admin/api-keys`)
        .send({ name: 'reader', scopes: ['inventory:read'] })
        .expect(201)
    ).body.data.key as string;
    const { body } = await anonymous().set('X-API-Key', reader).expect(200);
    expect(body.data.items.map((item: { sku: string }) => item.sku)).toEqual([sku]);
  });
});
