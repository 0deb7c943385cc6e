import { IdempotencyRepository, ReservationRepository } from '@app/core';
import { Client } from 'pg';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';
import { waitFor } from '../support/wait-for';

const connectionLost = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: '57P01' });
const base = loadAppConfig({});

/** Faults of the database are answered 503 in the envelope, and a key whose request failed is free again at once. */
describeEachBackend('Database faults', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let api: ReservationApi;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    // A long lease: a key freed within the test was released, not left to run out.
    testApp = await createTestApp(database.config, { idempotency: { ...base.idempotency, leaseSeconds: 60 } });
    api = new ReservationApi(withKey(testApp.server));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  it('should free the key of a request that failed with the database, even when the release failed too', async () => {
    const sku = await api.createSku(5);
    const body = { sku, userId: 'u1', quantity: 1 };
    jest.spyOn(testApp.app.get(ReservationRepository), 'tryReserve').mockRejectedValueOnce(connectionLost());
    jest.spyOn(testApp.app.get(IdempotencyRepository), 'release').mockRejectedValueOnce(connectionLost());

    const failed = await api.reserve(body, 'fault-blip-1').expect(503);
    expect(failed.body).toMatchObject({ success: false, code: 'DATABASE_UNAVAILABLE', requestId: expect.any(String) });

    let retry = await api.reserve(body, 'fault-blip-1');
    await waitFor(async () => {
      retry = await api.reserve(body, 'fault-blip-1');
      return retry.status !== 409;
    }, 5_000);
    expect(retry.status).toBe(201);
    expect((await api.reconcile(sku)).counters).toMatchObject({ availableQuantity: 4, reservedQuantity: 1 });
  });

  it("should keep a running request's key from a duplicate for longer than one lease", async () => {
    const short = await createTestApp(database.config, { idempotency: { ...base.idempotency, leaseSeconds: 1 } });
    try {
      const shortApi = new ReservationApi(withKey(short.server));
      const sku = await shortApi.createSku(5);
      const hold = (await shortApi.reserve({ sku, userId: 'u1', quantity: 1 }).expect(201)).body.data;
      // Extending takes the claim's way (claim, run, store): the claim is what a duplicate meets.
      const repository = short.app.get(ReservationRepository);
      const extend = repository.extendIfActive.bind(repository);
      jest.spyOn(repository, 'extendIfActive').mockImplementationOnce(async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, 2_500));
        return extend(...args);
      });

      const slow = shortApi.extend(hold.reservationId, { seconds: 60 }, 'fault-slow-1').then((response) => response);
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      const duplicate = await shortApi.extend(hold.reservationId, { seconds: 60 }, 'fault-slow-1');
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      expect((await slow).status).toBe(200);
      const replay = await shortApi.extend(hold.reservationId, { seconds: 60 }, 'fault-slow-1').expect(200);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.data.expiresAt).toBe(new Date(Date.parse(hold.expiresAt) + 60_000).toISOString());
    } finally {
      await short.app.close();
    }
  });

  it('should make one hold when a duplicate reserve overtakes a slow first one: the later answer is the replay', async () => {
    const sku = await api.createSku(5);
    const body = { sku, userId: 'u1', quantity: 1 };
    // The reserve writes its idempotency record with the hold, in one statement: the first to commit is the request.
    const repository = testApp.app.get(ReservationRepository);
    const reserve = repository.tryReserve.bind(repository);
    jest.spyOn(repository, 'tryReserve').mockImplementationOnce(async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return reserve(...args);
    });
    const slow = api.reserve(body, 'fault-slow-2').then((response) => response);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const overtaking = await api.reserve(body, 'fault-slow-2').expect(201);
    const late = await slow;
    expect(late.status).toBe(201);
    expect(overtaking.headers['idempotent-replayed']).toBeUndefined();
    expect(late.headers['idempotent-replayed']).toBe('true');
    expect(late.body.data.reservationId).toBe(overtaking.body.data.reservationId);
    expect((await api.reconcile(sku)).counters).toMatchObject({ availableQuantity: 4, reservedQuantity: 1 });
  });

  if (backend === 'postgres') {
    it('should answer 503 while the database is gone and after it comes back empty, with readiness 503 too', async () => {
      const sku = await api.createSku(3);
      await withKey(testApp.server).get('/health/ready').expect(200);
      const config = database.config as { url: string };
      const name = new URL(config.url).pathname.slice(1);
      const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
        const gone = await withKey(testApp.server).get(`/api/v1/inventory/${sku}`).expect(503);
        expect(gone.body).toMatchObject({ success: false, code: 'DATABASE_UNAVAILABLE', requestId: expect.any(String) });
        await api.reserve({ sku, userId: 'u1', quantity: 1 }).expect(503);
        await withKey(testApp.server).get('/health/ready').expect(503);

        await admin.query(`CREATE DATABASE "${name}"`);
        const empty = await withKey(testApp.server).get(`/api/v1/inventory/${sku}`).expect(503);
        expect(empty.body.code).toBe('DATABASE_UNAVAILABLE');
        await withKey(testApp.server)
          .post('/api/v1/admin/inventory')
          .send({ sku: 'AFTER-1', productName: 'x', totalQuantity: 1 })
          .expect(503);
        await withKey(testApp.server).get('/health/ready').expect(503);
      } finally {
        await admin.end();
      }
    });
  }
});
