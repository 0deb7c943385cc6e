import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import { LogFormat, loadAppConfig } from '../../apps/api/src/config/app-config';
import { createAppLogger } from '../../apps/api/src/logging/app-logger';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';

/** A real key (the service's ADMIN_API_KEY), sent in both key headers, and a cookie: none may reach the log. */
const KEY = 'secret-value-0123456789-abcdefghijklmnopqrstuvwxyz';
const SECRETS = { authorization: `Bearer ${KEY}`, apiKey: KEY, cookie: 'session=cookie-secret' };
const NO_SECRET = /secret-value|cookie-secret/;

interface LoggedApp {
  app: NestFastifyApplication;
  output: () => string;
}

/** The real app with the service's own logger (createTestApp records Nest's lines only), writing to a buffer. */
async function startLogged(database: TestDatabase, logFormat: LogFormat): Promise<LoggedApp> {
  let output = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString();
      done();
    },
  });
  const config = {
    ...loadAppConfig({
      LOG_LEVEL: 'log',
      LOG_FORMAT: logFormat,
      RATE_LIMIT_ENABLED: 'false',
      METRICS_ENABLED: 'false',
      ADMIN_API_KEY: KEY,
    }),
    database: database.config,
  };
  const app = await createApp(config, createAppLogger(config, sink));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, output: () => output };
}

describeEachBackend('Request log', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let logged: LoggedApp | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterEach(async () => {
    await logged?.app.close();
    logged = undefined;
  });
  afterAll(() => database?.dispose());

  const withCredentials = (call: request.Test) =>
    call.set('Authorization', SECRETS.authorization).set('X-API-Key', SECRETS.apiKey).set('Cookie', SECRETS.cookie);

  it('should write one JSON line per request with id, method, route template, status, latency and key id, and no credential', async () => {
    logged = await startLogged(database, 'json');
    const sku = await new ReservationApi(withKey(logged.app.getHttpServer(), KEY)).createSku(5);
    await withCredentials(request(logged.app.getHttpServer()).get(`/api/v1/inventory/${sku}`))
      .set('X-Request-Id', 'req-log-1')
      .expect(200);
    await withCredentials(request(logged.app.getHttpServer()).post('/api/v1/inventory/reserve').send({ sku, userId: 'u', quantity: 1 }))
      .set('X-Request-Id', 'req-log-2')
      .set('Idempotency-Key', 'log-key-1')
      .expect(201);

    const lines = logged
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const requestLines = lines.filter((line) => line.context === 'HTTP');
    expect(requestLines.find((line) => line.reqId === 'req-log-1')).toEqual({
      level: 'info',
      time: expect.any(String),
      pid: process.pid,
      hostname: expect.any(String),
      context: 'HTTP',
      reqId: 'req-log-1',
      method: 'GET',
      route: '/api/v1/inventory/:sku',
      url: `/api/v1/inventory/${sku}`,
      status: 200,
      latencyMs: expect.any(Number),
      apiKeyId: 'admin-env',
      msg: expect.stringMatching(new RegExp(`^GET /api/v1/inventory/${sku} -> 200 \\(\\d+(\\.\\d)? ms\\)$`)),
    });
    expect(requestLines.find((line) => line.reqId === 'req-log-2')).toMatchObject({ route: '/api/v1/inventory/reserve', status: 201 });
    // Nest's own lines are in the same format (every line parsed as JSON above).
    expect(lines.some((line) => line.context === 'InstanceLoader')).toBe(true);
    expect(logged.output()).not.toMatch(NO_SECRET);
  });

  it('should write the request line human-readable in the text format, without credentials', async () => {
    logged = await startLogged(database, 'text');
    await withCredentials(request(logged.app.getHttpServer()).get('/api/v1/inventory/NO-SUCH-SKU'))
      .set('X-Request-Id', 'req-log-3')
      .expect(404);
    const line = logged
      .output()
      .split('\n')
      .find((text) => text.includes('req-log-3'));
    expect(line).toMatch(
      /^\[[\d-]+ [\d:.]+\] INFO: \[HTTP\] GET \/api\/v1\/inventory\/NO-SUCH-SKU -> 404 \([\d.]+ ms\) \{"reqId":"req-log-3","apiKeyId":"admin-env"\}$/,
    );
    expect(logged.output()).not.toMatch(NO_SECRET);
  });
});
