import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { ExpirySweepJob } from '../../apps/api/src/reservation/expiry-sweep.job';
import { RetentionPurgeJob } from '../../apps/api/src/reservation/retention-purge.job';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { stopScheduledJobs } from '../support/scheduled-jobs';
import { waitFor } from '../support/wait-for';

const TTL = 300;
const base = loadAppConfig({});
const shortHolds = { reservations: { ...base.reservations, ttlSeconds: 1, sweepIntervalSeconds: 1 } };

describeEachBackend('Expiry sweeper and purge', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let api: ReservationApi;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config, { reservations: { ...base.reservations, ttlSeconds: TTL } });
    // Only the startup sweep and the tests' own calls run: a cron tick must not take the work whose counts are asserted.
    stopScheduledJobs(testApp.app);
    api = new ReservationApi(withKey(testApp.server));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  it('should expire due holds in a sweep and return their stock exactly once', async () => {
    const sku = await api.createSku(10);
    await Promise.all([1, 2, 3].map(() => api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)));
    shiftClock(testApp.app, TTL + 1);
    const job = testApp.app.get(ExpirySweepJob);
    expect(await job.sweep()).toBe(3);
    expect(await job.sweep()).toBe(0);
    const reconciliation = await api.reconcile(sku);
    expect(reconciliation.counters).toMatchObject({ availableQuantity: 10, reservedQuantity: 0, soldQuantity: 0 });
    expect(reconciliation).toMatchObject({ fromReservations: { reservedQuantity: 0, soldQuantity: 0 }, consistent: true });
  });

  it('should purge finished holds after the retention and keep active ones', async () => {
    const sku = await api.createSku(10);
    const finished = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
    await api.confirm(finished.reservationId).expect(200);
    shiftClock(testApp.app, 8 * 24 * 3600);
    const active = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
    const purged = await testApp.app.get(RetentionPurgeJob).purge();
    expect(purged.reservations).toBeGreaterThanOrEqual(1);
    await api.get(finished.reservationId).expect(404);
    await api.get(active.reservationId).expect(200);
  });
});

describeEachBackend('Expiry on its own', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let api: ReservationApi;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config, shortHolds);
    api = new ReservationApi(withKey(testApp.server));
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  it('should release an abandoned hold through the scheduled sweep, without any request touching it', async () => {
    const sku = await api.createSku(5);
    const held = (await api.reserve({ sku, userId: 'u', quantity: 5 }).expect(201)).body.data;
    const released = await waitFor(async () => (await api.reconcile(sku)).counters.availableQuantity === 5, 10_000);
    expect(released).toBe(true);
    const reconciliation = await api.reconcile(sku);
    expect(reconciliation).toMatchObject({
      counters: { reservedQuantity: 0 },
      fromReservations: { reservedQuantity: 0 },
      consistent: true,
    });
    expect((await api.get(held.reservationId)).body.data).toMatchObject({ status: 'EXPIRED', finishedAt: expect.any(String) });
  });
});
