import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { ExpirySweepJob } from '../../apps/api/src/reservation/expiry-sweep.job';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi, shiftClock } from '../support/reservation-api';
import { stopScheduledJobs } from '../support/scheduled-jobs';

const TTL = 300;
const base = loadAppConfig({});
const ACTIVITY = '/api/v1/admin/activity';

interface Activity {
  at: string;
  reservationsByOutcome: Record<string, number>;
  holdsEnded: { confirmed: number; cancelled: number; expired: number };
  expiryLagSeconds: number | null;
}

describeEachBackend('GET /admin/activity (the console charts)', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let api: ReservationApi;

  // The metrics listener stays off (createTestApp's default): the endpoint reads the registry, not /metrics.
  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config, { reservations: { ...base.reservations, ttlSeconds: TTL } });
    stopScheduledJobs(testApp.app);
    api = new ReservationApi(withKey(testApp.server));
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await testApp?.app.close();
    await database?.dispose();
  });

  const read = async (): Promise<Activity> => (await withKey(testApp.server).get(ACTIVITY).expect(200)).body.data as Activity;

  it('should count reserve outcomes and hold endings since the last read, and show the expiry lag until a sweep', async () => {
    const before = await read();
    expect(Object.keys(before.reservationsByOutcome)).toEqual(expect.arrayContaining(['reserved', 'insufficient', 'not_found', 'invalid']));
    expect(before.expiryLagSeconds).toBe(0);

    const sku = await api.createSku(5);
    const userId = `user-${randomUUID()}`;
    const first = (await api.reserve({ sku, userId, quantity: 1 }).expect(201)).body.data.reservationId as string;
    await api.reserve({ sku, userId, quantity: 1 }).expect(201);
    await api.reserve({ sku, userId, quantity: 50 }).expect(409);
    await api.reserve({ sku: `${sku}-NONE`, userId, quantity: 1 }).expect(404);
    await api.confirm(first).expect(200);

    shiftClock(testApp.app, TTL + 5);
    const overdue = await read();
    expect(overdue.expiryLagSeconds).toBeGreaterThanOrEqual(5);
    expect(overdue.expiryLagSeconds).toBeLessThan(60);
    expect(await testApp.app.get(ExpirySweepJob).sweep()).toBe(1);
    const after = await read();

    const moved = (outcome: string) => after.reservationsByOutcome[outcome] - before.reservationsByOutcome[outcome];
    expect({
      reserved: moved('reserved'),
      insufficient: moved('insufficient'),
      not_found: moved('not_found'),
      invalid: moved('invalid'),
    }).toEqual({
      reserved: 2,
      insufficient: 1,
      not_found: 1,
      invalid: 0,
    });
    expect(after.holdsEnded.confirmed - before.holdsEnded.confirmed).toBe(1);
    expect(after.holdsEnded.expired - before.holdsEnded.expired).toBe(1);
    expect(after.holdsEnded.cancelled - before.holdsEnded.cancelled).toBe(0);
    expect(after.expiryLagSeconds).toBe(0);
    expect(Date.parse(after.at)).toBeGreaterThan(Date.parse(before.at));
  });

  it('should refuse a caller without a key (401) and a key without inventory:read (403 naming the scope)', async () => {
    const anonymous = await request(testApp.server).get(ACTIVITY).expect(401);
    expect(anonymous.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED' });
    const created = await withKey(testApp.server)
      .post('/api/v1/admin/api-keys')
      .send({ name: 'checkout only', scopes: ['reservations:write'] })
      .expect(201);
    const forbidden = await withKey(testApp.server, created.body.data.key).get(ACTIVITY).expect(403);
    expect(forbidden.body).toMatchObject({ success: false, code: 'FORBIDDEN', details: { requiredScope: 'inventory:read' } });
  });
});
