import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { BackendName, createTestDatabase, describeEachBackend, SHARED_BACKENDS, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';
import { waitFor } from '../support/wait-for';

const base = loadAppConfig({});
const shortHolds = { reservations: { ...base.reservations, ttlSeconds: 1, sweepIntervalSeconds: 1 } };

/** Two complete application instances (own pools, own schedulers, nothing shared but the database). */
describeEachBackend('Two instances on one database', SHARED_BACKENDS, (backend: BackendName) => {
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

  it('should see a key revoked on one instance as revoked on the other at once', async () => {
    const created = await a.http
      .post('/api/v1/admin/api-keys')
      .send({ name: 'shared', scopes: ['inventory:read'] })
      .expect(201);
    const { id, key } = created.body.data as { id: string; key: string };
    const onB = () => request(instances[1].server).get('/api/v1/admin/inventory/all?limit=1').set('Authorization', `Bearer ${key}`);
    await onB().expect(200);
    await a.http.delete(`/api/v1/admin/api-keys/${id}`).expect(200);
    expect((await onB().expect(401)).body.code).toBe('UNAUTHENTICATED');
  });

  it('should never oversell when both take reserves for one SKU at once', async () => {
    const sku = await a.createSku(25);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).reserve({ sku, userId: `u${i}`, quantity: 1 })),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(25);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(35);
    expect(await a.reconcile(sku)).toMatchObject({ counters: { availableQuantity: 0, reservedQuantity: 25 }, consistent: true });
  });

  it('should create one hold for one key retried against both instances', async () => {
    const sku = await a.createSku(10);
    const key = randomUUID();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).reserve({ sku, userId: 'u', quantity: 2 }, key)),
    );
    const ids = new Set(responses.filter((r) => r.status === 201).map((r) => r.body.data.reservationId));
    expect(ids.size).toBe(1);
    expect(responses.every((r) => r.status === 201 || r.body.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS')).toBe(true);
    expect(await b.reconcile(sku)).toMatchObject({ counters: { availableQuantity: 8, reservedQuantity: 2 }, consistent: true });
  });

  it('should end each hold in one state when confirm on one instance races cancel on the other', async () => {
    const sku = await a.createSku(60);
    const holds = await Promise.all(Array.from({ length: 30 }, () => a.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)));
    const outcomes = await Promise.all(
      holds.map(async (h) => {
        const id = h.body.data.reservationId;
        const [confirm, cancel] = await Promise.all([a.confirm(id), b.cancel(id)]);
        return [confirm.status, cancel.status].sort();
      }),
    );
    for (const outcome of outcomes) expect(outcome).toEqual([200, 409]);
    const r = await b.reconcile(sku);
    expect(r.consistent).toBe(true);
    expect(r.fromLedger).toEqual(r.counters);
    expect(r.counters.availableQuantity + r.counters.soldQuantity).toBe(60);
    expect(r.counters.reservedQuantity).toBe(0);
  });

  it('should return expired stock exactly once while both instances sweep', async () => {
    const short = await Promise.all([createTestApp(database.config, shortHolds), createTestApp(database.config, shortHolds)]);
    try {
      const [x, y] = short.map((instance) => new ReservationApi(withKey(instance.server)));
      const skus = await Promise.all(Array.from({ length: 5 }, () => x.createSku(40)));
      await Promise.all(
        skus.flatMap((sku) =>
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? x : y).reserve({ sku, userId: 'u', quantity: 2 }).expect(201)),
        ),
      );
      const released = await waitFor(
        async () => (await Promise.all(skus.map((sku) => x.reconcile(sku)))).every((r) => r.counters.availableQuantity === 40),
        20_000,
      );
      expect(released).toBe(true);
      for (const sku of skus) {
        expect(await y.reconcile(sku)).toMatchObject({
          counters: { availableQuantity: 40, reservedQuantity: 0, soldQuantity: 0 },
          fromReservations: { reservedQuantity: 0, soldQuantity: 0 },
          consistent: true,
        });
      }
    } finally {
      await Promise.all(short.map((instance) => instance.app.close()));
    }
  });
});
