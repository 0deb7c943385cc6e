import { ApiKeyScope } from '@app/core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import { AppConfig } from '../../apps/api/src/config/app-config';
import { appOnFreshDatabase } from '../support/app-per-backend';
import { ALL_BACKENDS, BackendName, createTestDatabase, describeEachBackend, SHARED_BACKENDS, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { feedWhen, typesOfSku } from '../support/event-feed';
import { ReservationApi } from '../support/reservation-api';
import { stopScheduledJobs } from '../support/scheduled-jobs';
import { uniqueSku } from '../support/unique';
import { deliverOnce, deliverUntil, webhookTestConfig } from '../support/webhook-delivery';
import { WebhookReceiver } from '../support/webhook-receiver';

const API = '/api/v1';

interface CreatedWebhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  createdAt: string;
  secret: string;
}

/** Starts an app with webhooks allowed to 127.0.0.1 over http and its cron ticks stopped (tests run the worker by hand). */
async function startApp(database: TestDatabase['config'], overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const testApp = await createTestApp(database, { ...webhookTestConfig(), ...overrides });
  stopScheduledJobs(testApp.app);
  return testApp;
}

async function subscribe(http: ReturnType<typeof withKey>, url: string, events: string[] = ['*']): Promise<CreatedWebhook> {
  const response = await http.post(`${API}/admin/webhooks`).send({ url, events, description: 'e2e receiver' }).expect(201);
  return response.body.data as CreatedWebhook;
}

describeEachBackend('Webhooks', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend, webhookTestConfig());
  let api: ReservationApi;
  let receiver: WebhookReceiver;
  let endpoint: CreatedWebhook;
  const admin = () => withKey(app.testApp.server);

  beforeAll(async () => {
    stopScheduledJobs(app.testApp.app);
    api = new ReservationApi(admin());
  });
  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
    endpoint = await subscribe(admin(), receiver.url);
  });
  afterEach(async () => {
    // Another test's endpoint must not receive (or hold up) this one's events.
    await admin().delete(`${API}/admin/webhooks/${endpoint.id}`);
    await receiver.down();
  });

  it('should sign each delivery so that a Standard Webhooks library verifies it, and send what the feed shows', async () => {
    const sku = await api.createSku(10);
    const hold = (await api.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data;
    await deliverUntil([app.testApp.app], () => receiver.ofReservation(hold.reservationId).length === 1);

    const [delivery] = receiver.ofReservation(hold.reservationId);
    const verified = new Webhook(endpoint.secret).verify(delivery.body, delivery.headers as Record<string, string>);
    expect(verified).toEqual(delivery.event);
    expect(() => new Webhook(endpoint.secret).verify(`${delivery.body} `, delivery.headers as Record<string, string>)).toThrow();
    expect(delivery.headers['webhook-id']).toBe(delivery.event.id);
    expect(delivery.headers['content-type']).toBe('application/json');

    const feed = await feedWhen(admin(), (events) => events.some((e) => e.id === delivery.event.id));
    expect(feed.find((e) => e.id === delivery.event.id)).toEqual(delivery.event);
    expect(delivery.event).toMatchObject({
      type: 'reservation.created',
      data: {
        reservation: { reservationId: hold.reservationId, status: 'RESERVED', items: [{ sku, quantity: 2 }] },
        movements: [{ sku, type: 'reserved', availableDelta: -2, reservedDelta: 2, soldDelta: 0, totalDelta: 0 }],
      },
    });
    expect(receiver.received.filter((r) => r.event.type === 'inventory.created' && r.event.data.item)).not.toHaveLength(0);
  });

  it('should retry a receiver answering 500 twice, deliver the third try and show every attempt', async () => {
    const sku = await api.createSku(10);
    receiver.answer = (event, before) =>
      event.type === 'reservation.created' && before.filter((r) => r.event.id === event.id).length < 2 ? 500 : 200;
    const hold = (await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201)).body.data;
    await deliverUntil([app.testApp.app], () => receiver.ofReservation(hold.reservationId).some((r) => r.status === 200));

    const arrivals = receiver.ofReservation(hold.reservationId);
    expect(arrivals.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(arrivals.map((r) => r.event.id)).size).toBe(1);
    const eventId = arrivals[0].event.id;
    const attempts = (await admin().get(`${API}/admin/webhooks/${endpoint.id}/deliveries`).expect(200)).body.data.items as {
      eventId: string;
      eventType: string;
      attempt: number;
      statusCode: number | null;
      error: string | null;
      durationMs: number;
      at: string;
      nextRetryAt: string | null;
    }[];
    const ofEvent = attempts.filter((a) => a.eventId === eventId);
    expect(ofEvent).toEqual([
      expect.objectContaining({ eventType: 'reservation.created', attempt: 3, statusCode: 200, error: null, nextRetryAt: null }),
      expect.objectContaining({ attempt: 2, statusCode: 500, nextRetryAt: expect.any(String) }),
      expect.objectContaining({ attempt: 1, statusCode: 500, nextRetryAt: expect.any(String) }),
    ]);
    // Delivered: further rounds send it no more.
    await deliverOnce(app.testApp.app);
    expect(receiver.ofReservation(hold.reservationId)).toHaveLength(3);
  });

  it("should deliver one reservation's events in order, a failed first try holding back the later ones", async () => {
    const sku = await api.createSku(10);
    receiver.answer = (event, before) => (event.type === 'reservation.created' && !before.some((r) => r.status === 503) ? 503 : 200);
    const hold = (await api.hold({ userId: 'u', items: [{ sku, quantity: 3 }] }).expect(201)).body.data;
    await api.extend(hold.reservationId, { seconds: 60 }).expect(200);
    await api.release(hold.reservationId, { items: [{ sku, quantity: 1 }] }).expect(200);
    await api.confirm(hold.reservationId).expect(200);
    await deliverUntil([app.testApp.app], () =>
      receiver.ofReservation(hold.reservationId).some((r) => r.event.type === 'reservation.confirmed'),
    );

    expect(receiver.ofReservation(hold.reservationId).map((r) => `${r.event.type} ${r.status}`)).toEqual([
      'reservation.created 503',
      'reservation.created 200',
      'reservation.extended 200',
      'reservation.released 200',
      'reservation.confirmed 200',
    ]);
    const confirmed = receiver.ofReservation(hold.reservationId)[4].event.data as { movements: { type: string; soldDelta: number }[] };
    expect(confirmed.movements).toEqual([expect.objectContaining({ type: 'confirmed', soldDelta: 2 })]);
  });

  it('should fire each threshold event once per crossing, to an endpoint subscribed to those types only', async () => {
    const thresholds = await subscribe(admin(), receiver.url, ['inventory.low_stock', 'inventory.out_of_stock', 'inventory.back_in_stock']);
    try {
      const sku = uniqueSku();
      await admin().post(`${API}/admin/inventory`).send({ sku, productName: 'Item', totalQuantity: 10, lowStockThreshold: 5 }).expect(201);
      const reserve = async (quantity: number) => (await api.reserve({ sku, userId: 'u', quantity }).expect(201)).body.data.reservationId;
      await reserve(4); // 6 left: above the threshold
      const second = await reserve(2); // 4: low_stock
      await reserve(1); // 3: still low, nothing
      await api.cancel(second).expect(200); // 5: back at the threshold, nothing
      await reserve(1); // 4: low_stock again
      const last = await reserve(4); // 0: out_of_stock (already low: no low_stock)
      await api.cancel(last).expect(200); // 4: back_in_stock

      const expected = ['inventory.low_stock', 'inventory.low_stock', 'inventory.out_of_stock', 'inventory.back_in_stock'];
      const feed = await feedWhen(admin(), (events) => typesOfSku(events, sku).includes('inventory.back_in_stock'));
      expect(typesOfSku(feed, sku).filter((type) => !type.startsWith('reservation.') && type !== 'inventory.created')).toEqual(expected);
      const lowStock = feed.filter((e) => e.type === 'inventory.low_stock' && e.data.item.sku === sku);
      expect(lowStock.map((e) => [e.data.item.availableQuantity, e.data.movement.type])).toEqual([
        [4, 'reserved'],
        [4, 'reserved'],
      ]);

      const thresholdIds = new Set(feed.filter((e) => expected.includes(e.type) && e.data.item.sku === sku).map((e) => e.id));
      await deliverUntil([app.testApp.app], () => [...thresholdIds].every((id) => receiver.arrivals().get(id) === 2));
      // Both endpoints got each once; the '*' endpoint also got the rest, the threshold endpoint nothing else.
      const ofSku = receiver.received.filter((r) => r.event.data.item && (r.event.data.item as { sku: string }).sku === sku);
      expect(ofSku.filter((r) => thresholdIds.has(r.event.id))).toHaveLength(8);
      const attempts = (await admin().get(`${API}/admin/webhooks/${thresholds.id}/deliveries`).expect(200)).body.data.items as {
        eventType: string;
      }[];
      expect(attempts.map((a) => a.eventType).sort()).toEqual([...expected].sort());
    } finally {
      await admin().delete(`${API}/admin/webhooks/${thresholds.id}`).expect(200);
    }
  });

  it('should disable an endpoint that answers 410 Gone and send it nothing more', async () => {
    receiver.answer = () => 410;
    const sku = await api.createSku(5);
    await deliverUntil([app.testApp.app], () => receiver.received.length > 0);
    // Tries sent in the same round as the first 410 may still arrive; none after it is recorded.
    const sent = receiver.received.length;

    const listed = (await admin().get(`${API}/admin/webhooks`).expect(200)).body.data.items as { id: string; disabledAt: string | null }[];
    expect(listed.find((w) => w.id === endpoint.id)?.disabledAt).toEqual(expect.any(String));
    const attempts = (await admin().get(`${API}/admin/webhooks/${endpoint.id}/deliveries`).expect(200)).body.data.items;
    expect(attempts).toHaveLength(sent);
    for (const attempt of attempts) expect(attempt).toMatchObject({ attempt: 1, statusCode: 410, nextRetryAt: null });

    await api.reserve({ sku, userId: 'u', quantity: 1 }).expect(201);
    await feedWhen(admin(), (events) => events.some((e) => e.type === 'reservation.created' && e.data.reservation.items[0].sku === sku));
    for (let round = 0; round < 3; round++) await deliverOnce(app.testApp.app);
    expect(receiver.received).toHaveLength(sent);
  });

  it('should list endpoints without secrets, delete them, and answer 404 for an unknown one', async () => {
    const listed = (await admin().get(`${API}/admin/webhooks`).expect(200)).body.data.items as Record<string, unknown>[];
    const mine = listed.find((w) => w.id === endpoint.id);
    expect(mine).toEqual({
      id: endpoint.id,
      url: receiver.url,
      events: ['*'],
      description: 'e2e receiver',
      createdAt: endpoint.createdAt,
      disabledAt: null,
    });
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const other = await subscribe(admin(), receiver.url, ['inventory.created']);
    await admin()
      .delete(`${API}/admin/webhooks/${other.id}`)
      .expect(200, { success: true, message: 'Webhook deleted', data: { id: other.id } });
    expect((await admin().delete(`${API}/admin/webhooks/${other.id}`).expect(404)).body.code).toBe('WEBHOOK_NOT_FOUND');
    expect((await admin().get(`${API}/admin/webhooks/${other.id}/deliveries`).expect(404)).body.code).toBe('WEBHOOK_NOT_FOUND');
    await admin().delete(`${API}/admin/webhooks/not-a-uuid`).expect(400);
  });

  it('should refuse URLs and event lists the policy or the schema does not allow, with 400', async () => {
    const refused = async (body: Record<string, unknown>) =>
      (await admin().post(`${API}/admin/webhooks`).send(body).expect(400)).body as { code: string; details?: { problem: string } };
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'https://metadata.google.internal/computeMetadata/v1',
      'https://[fe80::1]/hook',
      'ftp://hooks.example.com/x',
      'https://user:pass@hooks.example.com/x',
      'not a url',
    ]) {
      expect({ url, code: (await refused({ url, events: ['*'] })).code }).toEqual({ url, code: 'INVALID_WEBHOOK_URL' });
    }
    expect((await refused({ url: 'https://hooks.example.com', events: [] })).code).toBe('VALIDATION_FAILED');
    expect((await refused({ url: 'https://hooks.example.com', events: ['inventory.exploded'] })).code).toBe('VALIDATION_FAILED');
    expect((await refused({ url: 'https://hooks.example.com', events: ['*', '*'] })).code).toBe('VALIDATION_FAILED');
    expect((await refused({ url: 'https://hooks.example.com', events: ['*'], secret: 'mine' })).code).toBe('VALIDATION_FAILED');
  });

  it('should require webhooks:write for the webhook routes and inventory:read for the feed', async () => {
    const keyWith = async (scopes: ApiKeyScope[]) =>
      (
        await admin()
          .post(`${API}/admin/api-keys`)
          .send({ name: scopes.join(' '), scopes })
          .expect(201)
      ).body.data.key as string;
    const reader = await keyWith(['inventory:read']);
    const hooks = await keyWith(['webhooks:write']);
    const as = (key: string | null) => (key === null ? request(app.testApp.server) : withKey(app.testApp.server, key));
    const body = { url: 'https://hooks.example.com/x', events: ['*'] };

    await as(null).post(`${API}/admin/webhooks`).send(body).expect(401);
    await as(null).get(`${API}/admin/events`).expect(401);
    expect((await as(reader).post(`${API}/admin/webhooks`).send(body).expect(403)).body.code).toBe('FORBIDDEN');
    await as(reader).get(`${API}/admin/webhooks`).expect(403);
    await as(reader).get(`${API}/admin/events`).expect(200);
    await as(hooks).get(`${API}/admin/events`).expect(403);
    const created = (await as(hooks).post(`${API}/admin/webhooks`).send(body).expect(201)).body.data as CreatedWebhook;
    await as(hooks).get(`${API}/admin/webhooks/${created.id}/deliveries`).expect(200);
    await as(hooks).delete(`${API}/admin/webhooks/${created.id}`).expect(200);
  });
});

describeEachBackend('Webhook URL policy by default', ['pglite'], () => {
  const app = appOnFreshDatabase('pglite');

  it('should refuse http and private addresses unless WEBHOOK_ALLOW_HTTP / WEBHOOK_ALLOW_PRIVATE_NETWORKS allow them', async () => {
    const post = (url: string) =>
      withKey(app.testApp.server)
        .post(`${API}/admin/webhooks`)
        .send({ url, events: ['*'] });
    for (const url of ['http://hooks.example.com/x', 'https://10.1.2.3/x', 'https://127.0.0.1:8443/x', 'https://localhost/x']) {
      const response = await post(url);
      expect({ url, status: response.status, code: response.body.code }).toEqual({ url, status: 400, code: 'INVALID_WEBHOOK_URL' });
    }
    expect((await post('http://hooks.example.com/x')).body.details.problem).toContain('WEBHOOK_ALLOW_HTTP=true');
    expect((await post('https://10.1.2.3/x')).body.details.problem).toContain('WEBHOOK_ALLOW_PRIVATE_NETWORKS=true');
    await post('https://hooks.example.com/x').expect(201);
  });
});

/** A receiver that is down while the service restarts gets every event once both are back. */
describeEachBackend('Webhooks across a restart', ALL_BACKENDS, (backend: BackendName) => {
  let database: TestDatabase;
  let dataDir: string | undefined;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    if (backend === 'pglite') {
      // Instances in sequence on one PGlite folder: the in-memory database would not outlive the first.
      dataDir = await mkdtemp(join(tmpdir(), 'webhooks-restart-'));
      database = { config: { kind: 'pglite', dataDir }, dispose: () => rm(dataDir!, { recursive: true, force: true }) };
    } else {
      database = await createTestDatabase(backend);
    }
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await receiver.down();
    await database.dispose();
  });

  it('should deliver every event written before, during and after the outage, each once', async () => {
    const first = await startApp(database.config);
    let second: TestApp | undefined;
    try {
      const before = new ReservationApi(withKey(first.server));
      await subscribe(before.http, receiver.url);
      await receiver.down();
      const sku = await before.createSku(10);
      const hold = (await before.reserve({ sku, userId: 'u', quantity: 2 }).expect(201)).body.data;
      await feedWhen(before.http, (events) => events.some((e) => e.type === 'reservation.created'));
      const run = await deliverOnce(first.app);
      expect(run.delivered).toBe(0);
      expect(run.retried).toBeGreaterThan(0);
      await first.app.close();

      second = await startApp(database.config);
      const after = new ReservationApi(withKey(second.server));
      await after.confirm(hold.reservationId).expect(200);
      await receiver.up();
      const feed = await feedWhen(after.http, (events) => events.some((e) => e.type === 'reservation.confirmed'));
      await deliverUntil([second.app], () => feed.every((e) => receiver.arrivals().get(e.id) === 1));
      expect([...receiver.arrivals().values()].every((count) => count === 1)).toBe(true);
      expect(receiver.received.map((r) => r.event.id).sort()).toEqual(feed.map((e) => e.id).sort());
      expect(receiver.ofReservation(hold.reservationId).map((r) => r.event.type)).toEqual(['reservation.created', 'reservation.confirmed']);
    } finally {
      await first.app.close().catch(() => undefined);
      await second?.app.close();
    }
  });
});

/** Two complete instances on one database run their delivery workers at once. */
describeEachBackend('Webhooks from two instances', SHARED_BACKENDS, (backend: BackendName) => {
  let database: TestDatabase;
  let instances: TestApp[];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    instances = [await startApp(database.config), await startApp(database.config)];
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.app.close()));
    await receiver.down();
    await database.dispose();
  });

  it('should send each event once per attempt, whichever instance sends it', async () => {
    const [a, b] = instances.map((instance) => new ReservationApi(withKey(instance.server)));
    const endpoint = await subscribe(a.http, receiver.url);
    // The first try of every event fails, the second succeeds: exactly two arrivals each.
    receiver.answer = (event, before) => (before.some((r) => r.event.id === event.id) ? 200 : 500);
    const skus = await Promise.all([a.createSku(20), b.createSku(20)]);
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).reserve({ sku: skus[i % 2], userId: `u${i}`, quantity: 1 }).expect(201)),
    );
    const feed = await feedWhen(a.http, (events) => events.filter((e) => e.type === 'reservation.created').length === 16);
    await deliverUntil(
      instances.map((instance) => instance.app),
      () => feed.every((e) => receiver.arrivals().get(e.id) === 2),
    );
    expect(new Set(receiver.arrivals().values())).toEqual(new Set([2]));
    expect(receiver.arrivals().size).toBe(feed.length);
    const attempts = (await b.http.get(`${API}/admin/webhooks/${endpoint.id}/deliveries?limit=200`).expect(200)).body.data.items as {
      eventId: string;
      attempt: number;
    }[];
    const tries = new Map<string, number[]>();
    for (const { eventId, attempt } of attempts) tries.set(eventId, [...(tries.get(eventId) ?? []), attempt].sort());
    expect(new Set([...tries.values()].map((t) => t.join(',')))).toEqual(new Set(['1,2']));
  });
});
