import { IdempotencyService } from '@app/core';
import { randomUUID } from 'node:crypto';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { MetricsServer } from '../../apps/api/src/metrics/metrics-server';
import { RESERVATION_OUTCOMES } from '../../apps/api/src/metrics/reservation-outcome';
import { ExpirySweepJob } from '../../apps/api/src/reservation/expiry-sweep.job';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { Scrape } from '../support/prometheus-text';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { stopScheduledJobs } from '../support/scheduled-jobs';
import { waitFor } from '../support/wait-for';

const TTL = 300;
const base = loadAppConfig({});
const withMetrics = { metrics: { enabled: true, port: 0, host: '127.0.0.1' }, reservations: { ...base.reservations, ttlSeconds: TTL } };
const RESERVE_ROUTE = { method: 'POST', route: '/api/v1/inventory/reserve' };

async function scrape(testApp: TestApp): Promise<Scrape> {
  const response = await fetch(`http://127.0.0.1:${testApp.app.get(MetricsServer).port()}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return new Scrape(await response.text());
}

/** How much each series moved between two scrapes. */
function moved(before: Scrape, after: Scrape) {
  return (name: string, labels: Record<string, string> = {}) => after.value(name, labels) - before.value(name, labels);
}

describeEachBackend('Metrics on their own port', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let api: ReservationApi;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config, withMetrics);
    stopScheduledJobs(testApp.app);
    api = new ReservationApi(withKey(testApp.server));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await testApp?.app.close();
    await database?.dispose();
  });

  it('should count a short workload by outcome, transition and route template, with no SKU or user in any label', async () => {
    const before = await scrape(testApp);
    const sku = await api.createSku(10);
    const user = `user-${randomUUID()}`;
    const hold = async (quantity = 1) => (await api.reserve({ sku, userId: user, quantity }).expect(201)).body.data.reservationId as string;

    const key = randomUUID();
    await api.reserve({ sku, userId: user, quantity: 2 }, key).expect(201);
    await api.reserve({ sku, userId: user, quantity: 2 }, key).expect(201).expect('Idempotent-Replayed', 'true');
    await api.reserve({ sku, userId: user, quantity: 3 }, key).expect(422);
    await api.reserve({ sku, userId: user, quantity: 100 }).expect(409);
    await api.reserve({ sku: `${sku}-NONE`, userId: user, quantity: 1 }).expect(404);
    await api.reserve({ sku, userId: user, quantity: 0 }).expect(400);

    // A duplicate while the first request with its key is still running: 409 in progress. A reserve claims its key in
    // its own statement; a refused one claims it afterwards to store the refusal, and a duplicate meets that claim.
    const idempotency = testApp.app.get(IdempotencyService);
    const complete = idempotency.complete.bind(idempotency);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(idempotency, 'complete').mockImplementationOnce(async (...args) => held.then(() => complete(...args)));
    const slowKey = randomUUID();
    const slow = api.reserve({ sku, userId: user, quantity: 100 }, slowKey).then((response) => response);
    expect(await waitFor(async () => spy.mock.calls.length === 1, 5_000)).toBe(true);
    const duplicate = await api.reserve({ sku, userId: user, quantity: 100 }, slowKey).expect(409);
    expect(duplicate.body.code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
    release();
    expect((await slow).body.code).toBe('INSUFFICIENT_STOCK');
    spy.mockRestore();

    const confirmed = await hold();
    await api.confirm(confirmed).expect(200);
    await api.confirm(confirmed).expect(200); // again: same answer, no second transition
    const cancelled = await hold();
    await api.cancel(cancelled).expect(200);
    await hold();
    await withKey(testApp.server).get(`/api/v1/inventory/${sku}`).expect(200);
    await withKey(testApp.server).get(`/no/such/route/${sku}`).expect(404);

    // The two holds still active are now 5 s overdue: the lag shows until a sweep expires them.
    shiftClock(testApp.app, TTL + 5);
    const overdue = await scrape(testApp);
    expect(overdue.value('inventory_expiry_lag_seconds')).toBeGreaterThanOrEqual(5);
    expect(overdue.value('inventory_expiry_lag_seconds')).toBeLessThan(60);
    expect(await testApp.app.get(ExpirySweepJob).sweep()).toBe(2);
    const after = await scrape(testApp);
    expect(after.value('inventory_expiry_lag_seconds')).toBe(0);

    const delta = moved(before, after);
    const outcomes = RESERVATION_OUTCOMES.map((outcome) => [outcome, delta('inventory_reservations_total', { outcome })]);
    expect(Object.fromEntries(outcomes)).toEqual({
      reserved: 4,
      replayed: 1,
      insufficient: 2,
      not_found: 1,
      per_customer_limit: 0,
      in_progress: 1,
      key_reused: 1,
      invalid: 1,
      rate_limited: 0,
      unauthorized: 0,
      error: 0,
    });
    expect(delta('inventory_holds_transitions_total', { to: 'confirmed' })).toBe(1);
    expect(delta('inventory_holds_transitions_total', { to: 'cancelled' })).toBe(1);
    expect(delta('inventory_holds_transitions_total', { to: 'expired' })).toBe(2);
    expect(delta('inventory_idempotency_replays_total', { scope: 'reserve' })).toBe(1);
    expect(delta('inventory_idempotency_conflicts_total', { scope: 'reserve', reason: 'key_reused' })).toBe(1);
    expect(delta('inventory_idempotency_conflicts_total', { scope: 'reserve', reason: 'in_progress' })).toBe(1);
    expect(delta('inventory_expiry_sweep_duration_seconds_count')).toBeGreaterThanOrEqual(1);

    const count = 'http_request_duration_seconds_count';
    expect(delta(count, { ...RESERVE_ROUTE, status: '201' })).toBe(5);
    expect(delta(count, { ...RESERVE_ROUTE, status: '409' })).toBe(3);
    expect(delta(count, { method: 'POST', route: '/api/v1/checkout/confirm', status: '200' })).toBe(2);
    expect(delta(count, { method: 'GET', route: '/api/v1/inventory/:sku', status: '200' })).toBe(1);
    expect(delta(count, { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    const reserved201 = { ...RESERVE_ROUTE, status: '201' };
    expect(after.value('http_request_duration_seconds_bucket', { ...reserved201, le: '+Inf' })).toBe(after.value(count, reserved201));

    const labelValues = after.samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes(sku) || value.includes(user) || value.includes(key))).toEqual([]);
  });

  it('should count cart holds as reserve outcomes, and a release of every unit left as one cancelled hold', async () => {
    const before = await scrape(testApp);
    const sku = await api.createSku(10);
    const held = (await api.hold({ userId: 'u', items: [{ sku, quantity: 2 }] }).expect(201)).body.data;
    await api.hold({ userId: 'u', items: [{ sku, quantity: 100 }] }).expect(409);
    await api.release(held.reservationId, { items: [{ sku, quantity: 1 }] }).expect(200);
    await api.release(held.reservationId, { items: [{ sku, quantity: 1 }] }).expect(200);
    await api.release(held.reservationId, { items: [{ sku, quantity: 1 }] }).expect(409);
    const delta = moved(before, await scrape(testApp));
    expect(delta('inventory_reservations_total', { outcome: 'reserved' })).toBe(1);
    expect(delta('inventory_reservations_total', { outcome: 'insufficient' })).toBe(1);
    expect(delta('inventory_holds_transitions_total', { to: 'cancelled' })).toBe(1);
    expect(delta('http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/reservations', status: '201' })).toBe(1);
  });

  it('should report the database pool, rate-limit counters and the process metrics', async () => {
    const metrics = await scrape(testApp);
    if (backend === 'pglite') {
      expect(metrics.value('inventory_db_pool_max')).toBe(1);
      expect(metrics.has('inventory_db_pool_in_use')).toBe(false);
    } else {
      expect(metrics.value('inventory_db_pool_max')).toBe(backend === 'postgres' ? 10 : 100);
      for (const name of ['inventory_db_pool_in_use', 'inventory_db_pool_idle', 'inventory_db_pool_waiting']) {
        expect(metrics.find(name)).toHaveLength(1);
      }
      expect(metrics.value('inventory_db_pool_in_use') + metrics.value('inventory_db_pool_idle')).toBeGreaterThanOrEqual(1);
    }
    expect(metrics.value('inventory_rate_limit_rejections_total', { policy: 'reserve' })).toBe(0);
    expect(metrics.value('inventory_rate_limit_fail_open_total')).toBe(0);
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds']) {
      expect(metrics.has(name)).toBe(true);
    }
  });

  it('should not serve the metrics on the API port', async () => {
    await withKey(testApp.server).get('/metrics').expect(404);
    await withKey(testApp.server).get('/api/v1/metrics').expect(404);
  });

  it('should count refusals by the rate limit as the rate_limited outcome and per policy', async () => {
    const limited = await createTestApp(database.config, {
      ...withMetrics,
      rateLimit: { enabled: true, perMinute: 1_000, reservePerMinute: 1, keyPrefix: `test:${randomUUID()}:` },
    });
    try {
      const limitedApi = new ReservationApi(withKey(limited.server));
      const sku = await limitedApi.createSku(5);
      await limitedApi.reserve({ sku, userId: 'u', quantity: 1 }).expect(201);
      await limitedApi.reserve({ sku, userId: 'u', quantity: 1 }).expect(429);
      const metrics = await scrape(limited);
      expect(metrics.value('inventory_reservations_total', { outcome: 'rate_limited' })).toBe(1);
      expect(metrics.value('inventory_rate_limit_rejections_total', { policy: 'reserve' })).toBe(1);
      expect(metrics.value('inventory_rate_limit_rejections_total', { policy: 'general' })).toBe(0);
    } finally {
      await limited.app.close();
    }
  });
});
