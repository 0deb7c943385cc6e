import { DatabaseHealth } from '@app/persistence';
import { Logger } from '@nestjs/common';
import request from 'supertest';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp } from '../support/create-test-app';

/** Probe bodies are unauthenticated: they say ok / not ok and which check failed; the details go to the log. */
describeEachBackend('Health probe bodies', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config);
    http = request(testApp.server);
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });
  afterEach(() => jest.restoreAllMocks());

  it('should name the checks and their state, and nothing about the database', async () => {
    const up = { database: { status: 'up' } };
    expect((await http.get('/health').expect(200)).body).toEqual({ success: true, status: 'ok', info: up, error: {}, details: up });
    const ready = { shutdown: { status: 'up' }, database: { status: 'up' }, rateLimitStore: { status: 'up' } };
    expect((await http.get('/health/ready').expect(200)).body).toEqual({
      success: true,
      status: 'ok',
      info: ready,
      error: {},
      details: ready,
    });
  });

  it('should not show the process id on /health/live', async () => {
    const up = { process: { status: 'up' } };
    expect((await http.get('/health/live').expect(200)).body).toEqual({ success: true, status: 'ok', info: up, error: {}, details: up });
  });

  it('should answer 503 naming the failed check, and log the raw database error instead of showing it', async () => {
    const raw = 'connect ECONNREFUSED 10.9.8.7:5432 (database "inventory_secret", folder /srv/pglite-data)';
    jest.spyOn(testApp.app.get(DatabaseHealth), 'ping').mockRejectedValue(new Error(raw));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    for (const path of ['/health', '/health/ready']) {
      const response = await http.get(path).expect(503);
      expect(response.body).toMatchObject({ success: false, status: 'error', error: { database: { status: 'down' } } });
      expect(response.body.details.database).toEqual({ status: 'down' });
      expect(response.text).not.toMatch(/10\.9\.8\.7|inventory_secret|pglite-data|ECONNREFUSED|PGlite|PostgreSQL|Mongo/);
    }
    expect(warn.mock.calls.map((call) => String(call[0])).join('\n')).toContain(raw);
  });
});
