import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../apps/api/src/config/app-config';
import { RateLimitConfig } from '../../apps/api/src/rate-limit/rate-limit.config';
import { RateLimitStats } from '../../apps/api/src/rate-limit/rate-limit-stats';
import { REDIS_CONNECT_TIMEOUT_MS } from '../../apps/api/src/rate-limit/redis-client';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';
import { TcpProxy } from '../support/tcp-proxy';
import { uniqueSku } from '../support/unique';
import { waitFor } from '../support/wait-for';

/** The machine's Redis (CI has one too); the tests fail, not skip, when it is missing. */
const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
/** Nothing listens there: connections are refused at once. */
const CLOSED_REDIS_URL = 'redis://127.0.0.1:1';

/** Limits on, with a key prefix of its own so runs (and tests) sharing one Redis never see each other's hits. */
function limits(overrides: Partial<RateLimitConfig> = {}): Partial<AppConfig> {
  return {
    rateLimit: {
      enabled: true,
      perMinute: 1_000,
      reservePerMinute: 1_000,
      keyPrefix: `test:${randomBytes(6).toString('hex')}:`,
      ...overrides,
    },
  };
}

function expectRejected(response: request.Response, policy: 'general' | 'reserve'): void {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({
    success: false,
    message: expect.stringContaining('Too many'),
    code: 'RATE_LIMITED',
    requestId: response.headers['x-request-id'],
  });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(response.headers['ratelimit']).toMatch(new RegExp(`"${policy}";r=0;t=\\d+`));
}

/** Per-client limits (docs/README "Rate limits"): 429 with the IETF fields, the reserve policy, Redis shared and down. */
describeEachBackend('Rate limits', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  const started: TestApp[] = [];
  const start = async (overrides: Partial<AppConfig>) => {
    const testApp = await createTestApp(database.config, overrides);
    started.push(testApp);
    // `anonymous` sends no key, so the client is its address (a key would be the client otherwise).
    return { testApp, http: withKey(testApp.server), anonymous: request(testApp.server), api: new ReservationApi(withKey(testApp.server)) };
  };

  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((testApp) => testApp.app.close()));
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('should count every API route against the general limit and answer 429 RATE_LIMITED once over it', async () => {
    const { testApp, http } = await start(limits({ perMinute: 3 }));
    const within = [
      await http.get(`/api/v1/inventory/${uniqueSku()}`),
      await http.get('/api/v1/admin/inventory/all'),
      await http.post('/api/v1/checkout/cancel').send({ reservationId: 'not-a-uuid' }),
    ];
    expect(within.map((response) => response.status)).toEqual([404, 200, 400]);
    expect(within.map((response) => response.headers['ratelimit-policy'])).toEqual(Array(3).fill('"general";q=3;w=60'));
    expect(within.map((response) => response.headers['ratelimit'])).toEqual([
      expect.stringMatching(/^"general";r=2;t=\d+$/),
      expect.stringMatching(/^"general";r=1;t=\d+$/),
      expect.stringMatching(/^"general";r=0;t=\d+$/),
    ]);

    const over = await http.get(`/api/v1/inventory/${uniqueSku()}`);
    expectRejected(over, 'general');
    expect(over.headers['ratelimit-policy']).toBe('"general";q=3;w=60');
    expectRejected(await http.get('/api/v1/admin/inventory/all'), 'general');
    expect(testApp.app.get(RateLimitStats).rejectedTotal).toEqual({ general: 2, reserve: 0 });
  });

  it('should hold reserves to the tighter reserve limit while other routes still pass', async () => {
    const { testApp, api, http } = await start(limits({ perMinute: 10, reservePerMinute: 2 }));
    const sku = await api.createSku(100);
    const held = [await api.reserve({ sku, userId: 'u1', quantity: 1 }), await api.reserve({ sku, userId: 'u2', quantity: 1 })];
    expect(held.map((response) => response.status)).toEqual([201, 201]);
    expect(held[1].headers['ratelimit-policy']).toBe('"general";q=10;w=60, "reserve";q=2;w=60');
    expect(held[1].headers['ratelimit']).toMatch(/^"general";r=7;t=\d+, "reserve";r=0;t=\d+$/);

    const refused = await api.reserve({ sku, userId: 'u3', quantity: 1 });
    expectRejected(refused, 'reserve');
    expect(refused.body.message).toContain('reserve requests');
    expect(refused.body.message).toContain('2 per minute');

    const read = await http.get(`/api/v1/inventory/${sku}`).expect(200);
    expect(read.body.data.availableQuantity).toBe(98);
    expect(read.headers['ratelimit-policy']).toBe('"general";q=10;w=60');
    expect(testApp.app.get(RateLimitStats)).toMatchObject({ rejectedTotal: { general: 0, reserve: 1 }, rejectedReserveClassTotal: 1 });
  });

  it('should never limit health probes, the API docs or the web UI', async () => {
    const { http } = await start(limits({ perMinute: 1 }));
    await http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
    expect((await http.get(`/api/v1/inventory/${uniqueSku()}`)).status).toBe(429);
    for (const path of ['/health', '/health/live', '/health/ready', '/health/ready', '/docs', '/docs-json', '/']) {
      const response = await http.get(path);
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      expect(response.headers['ratelimit-policy']).toBeUndefined();
    }
  });

  it('should limit nothing with RATE_LIMIT_ENABLED=false', async () => {
    const { http } = await start({ rateLimit: { ...limits({ perMinute: 1, reservePerMinute: 1 }).rateLimit!, enabled: false } });
    for (let i = 0; i < 4; i++) {
      const response = await http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
      expect(response.headers['ratelimit-policy']).toBeUndefined();
      expect(response.headers['ratelimit']).toBeUndefined();
    }
    const ready = await http.get('/health/ready').expect(200);
    expect(ready.body.info.rateLimitStore).toEqual({ status: 'up' });
  });

  it('should ignore X-Forwarded-For by default, so a client cannot pick a fresh bucket per request', async () => {
    const { anonymous } = await start(limits({ perMinute: 2 }));
    const from = (address: string) => anonymous.get(`/api/v1/inventory/${uniqueSku()}`).set('X-Forwarded-For', address);
    expect((await from('198.51.100.1')).status).toBe(404);
    expect((await from('198.51.100.2')).status).toBe(404);
    expectRejected(await from('198.51.100.3'), 'general');
  });

  it('should count each forwarded client on its own when TRUST_PROXY trusts the peer', async () => {
    const { anonymous } = await start({ ...limits({ perMinute: 2 }), trustProxy: ['loopback'] });
    const from = (address: string) => anonymous.get(`/api/v1/inventory/${uniqueSku()}`).set('X-Forwarded-For', address);
    expect((await from('198.51.100.1')).status).toBe(404);
    expect((await from('198.51.100.1')).status).toBe(404);
    expectRejected(await from('198.51.100.1'), 'general');
    expect((await from('198.51.100.2')).status).toBe(404);
    expect((await from('203.0.113.9, 198.51.100.2')).status).toBe(404);
    expectRejected(await from('198.51.100.2'), 'general');
  });

  it('should share one bucket between two instances on one Redis', async () => {
    const shared = limits({ perMinute: 4, redisUrl: REDIS_URL });
    const a = await start(shared);
    const b = await start(shared);
    for (let i = 0; i < 3; i++) await a.http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
    const fourth = await b.http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
    expect(fourth.headers['ratelimit']).toMatch(/^"general";r=0;t=\d+$/);
    expectRejected(await b.http.get(`/api/v1/inventory/${uniqueSku()}`), 'general');
    expectRejected(await a.http.get(`/api/v1/inventory/${uniqueSku()}`), 'general');

    const ready = await a.http.get('/health/ready').expect(200);
    expect(ready.body.info.rateLimitStore).toEqual({ status: 'up' });
    expect(a.testApp.app.get(RateLimitStats).failOpenTotal).toBe(0);
  });

  it('should count per process without REDIS_URL, so each instance enforces its own limit', async () => {
    const a = await start(limits({ perMinute: 1 }));
    const b = await start(limits({ perMinute: 1, keyPrefix: 'same-prefix-is-irrelevant-in-memory:' }));
    await a.http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
    await b.http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
    expectRejected(await a.http.get(`/api/v1/inventory/${uniqueSku()}`), 'general');
  });

  it('should keep serving when Redis is down: requests pass unchecked, counted, and readiness stays 200', async () => {
    const { testApp, api, http } = await start(limits({ perMinute: 1, reservePerMinute: 1, redisUrl: CLOSED_REDIS_URL }));
    const sku = await api.createSku(10);
    const held = [await api.reserve({ sku, userId: 'u1', quantity: 1 }), await api.reserve({ sku, userId: 'u2', quantity: 1 })];
    expect(held.map((response) => response.status)).toEqual([201, 201]);
    expect(held[1].headers['ratelimit-policy']).toBe('"general";q=1;w=60, "reserve";q=1;w=60');
    expect(held[1].headers['ratelimit']).toBeUndefined();
    await http.get(`/api/v1/inventory/${sku}`).expect(200);

    // Per request, one failed count per policy that applies: 1 create + 2 reserves x 2 policies + 1 read.
    expect(testApp.app.get(RateLimitStats).failOpenTotal).toBe(6);
    const ready = await http.get('/health/ready').expect(200);
    expect(ready.body.status).toBe('ok');
    expect(ready.body.info.rateLimitStore).toEqual({ status: 'up', degraded: true });
    expect(testApp.logger.errors).toEqual([]);

    // ioredis's timer for its last refused connection outlives the closed client; let it run out so Jest exits.
    await started.splice(started.indexOf(testApp), 1)[0].app.close();
    await new Promise((resolve) => setTimeout(resolve, REDIS_CONNECT_TIMEOUT_MS + 100));
  });

  it('should fail open when Redis goes away while serving, and enforce the limits again once it is back', async () => {
    const proxy = await TcpProxy.start(Number(new URL(REDIS_URL).port || 6379));
    try {
      const { testApp, http } = await start(limits({ perMinute: 2, redisUrl: `redis://127.0.0.1:${proxy.port}` }));
      const stats = testApp.app.get(RateLimitStats);
      const ready = async () => (await http.get('/health/ready').expect(200)).body.info.rateLimitStore;
      const first = await http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
      expect(first.headers['ratelimit']).toMatch(/^"general";r=1;t=\d+$/);

      await proxy.cut();
      expect(await waitFor(async () => (await ready()).degraded === true, 5_000)).toBe(true);
      for (let i = 0; i < 3; i++) await http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
      expect(stats.failOpenTotal).toBe(3);

      await proxy.resume();
      expect(await waitFor(async () => (await ready()).degraded === undefined, 10_000)).toBe(true);
      await http.get(`/api/v1/inventory/${uniqueSku()}`).expect(404);
      expectRejected(await http.get(`/api/v1/inventory/${uniqueSku()}`), 'general');
      expect(stats.failOpenTotal).toBe(3);
    } finally {
      await proxy.cut();
    }
  });
});
