import { API_KEY_SCOPES, ApiKeyScope, hashApiKeySecret } from '@app/core';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AccessPolicyAudit, isAdminPath } from '../../apps/api/src/auth/access-policy.audit';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { appOnFreshDatabase } from '../support/app-per-backend';
import { ALL_BACKENDS, describeEachBackend } from '../support/backends';
import { TEST_ADMIN_API_KEY, withKey } from '../support/create-test-app';
import { uniqueSku } from '../support/unique';

const API = '/api/v1';
const base = loadAppConfig({});
/** A value for each path parameter the admin routes use; a new parameter name fails loudly here. */
const SAMPLE_PARAMS: Record<string, () => string> = { sku: () => 'NO-SUCH-SKU', id: () => randomUUID() };

type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';

describeEachBackend('API keys', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend);
  const admin = () => withKey(app.testApp.server);
  const anonymous = () => request(app.testApp.server);

  const createKey = async (scopes: readonly ApiKeyScope[], name = 'test key') => {
    const response = await admin().post(`${API}/admin/api-keys`).send({ name, scopes }).expect(201);
    return response.body.data as { id: string; name: string; prefix: string; scopes: string[]; createdAt: string; key: string };
  };
  const call = (method: Method, path: string) => anonymous()[method](`${API}/${path}`);

  describe('every admin route, from the route table', () => {
    const adminRoutes = () =>
      app.testApp.app
        .get(AccessPolicyAudit)
        .routes()
        .filter((route) => isAdminPath(route.path));
    const urlOf = (path: string) =>
      path.replace(/:(\w+)/g, (_, name: string) => {
        const sample = SAMPLE_PARAMS[name];
        if (!sample) throw new Error(`no sample value for :${name} in ${path}; add one to SAMPLE_PARAMS`);
        return encodeURIComponent(sample());
      });

    it('should declare a scope on each of them', () => {
      const routes = adminRoutes();
      expect(routes.length).toBeGreaterThanOrEqual(9);
      for (const route of routes)
        expect({ route: `${route.method} ${route.path}`, kind: route.policy?.kind }).toEqual({ route: expect.any(String), kind: 'scope' });
    });

    it('should answer 401 with a Bearer challenge without a key, or with an unknown, malformed or revoked one', async () => {
      const revoked = await createKey(API_KEY_SCOPES);
      await admin().delete(`${API}/admin/api-keys/${revoked.id}`).expect(200);
      const unknown = `irs_${'A'.repeat(43)}`;
      for (const route of adminRoutes()) {
        const method = route.method.toLowerCase() as Method;
        const url = urlOf(route.path);
        for (const header of [undefined, `Bearer ${unknown}`, 'Bearer not-a-key', `Bearer ${revoked.key}`]) {
          const attempt = call(method, url);
          const response = await (header ? attempt.set('Authorization', header) : attempt);
          expect({ route: `${route.method} ${route.path}`, header, status: response.status }).toEqual({
            route: expect.any(String),
            header,
            status: 401,
          });
          expect(response.headers['www-authenticate']).toMatch(/^Bearer /);
          expect(response.body).toMatchObject({ success: false, code: 'UNAUTHENTICATED', requestId: expect.any(String) });
        }
      }
    });

    it('should answer 403 naming the scope to a key with every other scope, and let a key with just that scope through', async () => {
      for (const route of adminRoutes()) {
        if (route.policy?.kind !== 'scope') throw new Error(`${route.handler} has no scope`);
        const { scope } = route.policy;
        const method = route.method.toLowerCase() as Method;
        const others = await createKey(API_KEY_SCOPES.filter((s) => s !== scope));
        const denied = await call(method, urlOf(route.path)).set('Authorization', `Bearer ${others.key}`);
        expect({ route: route.path, status: denied.status }).toEqual({ route: route.path, status: 403 });
        expect(denied.body).toMatchObject({ code: 'FORBIDDEN', details: { requiredScope: scope } });
        expect(denied.body.message).toContain(scope);

        const exact = await createKey([scope]);
        const allowed = await call(method, urlOf(route.path)).set('X-API-Key', exact.key);
        const admitted = allowed.status !== 401 && allowed.status !== 403;
        expect({ route: route.path, status: allowed.status, admitted }).toEqual({
          route: route.path,
          status: allowed.status,
          admitted: true,
        });
      }
    });
  });

  describe('management', () => {
    it('should create a key shown once, which then works in either header', async () => {
      const response = await admin()
        .post(`${API}/admin/api-keys`)
        .send({ name: 'storefront', scopes: ['reservations:write', 'inventory:read'] })
        .expect(201);
      const created = response.body.data;
      expect(response.body.message).toBe('API key created: store the key now, it is not shown again');
      expect(created).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'storefront',
        prefix: created.key.slice(0, 12),
        scopes: ['reservations:write', 'inventory:read'],
        createdAt: expect.any(String),
        key: expect.stringMatching(/^irs_[A-Za-z0-9_-]{43}$/),
      });
      await anonymous().get(`${API}/admin/inventory/all`).set('Authorization', `Bearer ${created.key}`).expect(200);
      await anonymous().get(`${API}/admin/inventory/all`).set('X-API-Key', created.key).expect(200);
      await anonymous().get(`${API}/admin/inventory/all`).set('authorization', `bearer ${created.key}`).expect(200);
    });

    it('should refuse two different keys in one request', async () => {
      const one = await createKey(['inventory:read']);
      const response = await anonymous()
        .get(`${API}/admin/inventory/all`)
        .set('Authorization', `Bearer ${one.key}`)
        .set('X-API-Key', TEST_ADMIN_API_KEY)
        .expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      [{ name: 'x', scopes: [] }, 'scopes'],
      [{ name: 'x', scopes: ['inventory:admin'] }, 'scopes'],
      [{ name: 'x', scopes: ['inventory:read', 'inventory:read'] }, 'scopes'],
      [{ name: 'x', scopes: 'inventory:read' }, 'scopes'],
      [{ name: '', scopes: ['inventory:read'] }, 'name'],
      [{ name: 'x'.repeat(101), scopes: ['inventory:read'] }, 'name'],
      [{ name: 'tab\there', scopes: ['inventory:read'] }, 'name'],
      [{ scopes: ['inventory:read'] }, 'name'],
      [{ name: 'x', scopes: ['inventory:read'], key: 'irs_chosen' }, 'key'],
    ])('should refuse %p with 400 naming %s', async (body, field) => {
      const response = await admin().post(`${API}/admin/api-keys`).send(body).expect(400);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('should list keys without their secrets or hashes', async () => {
      const created = await createKey(['inventory:read'], 'listed');
      const response = await admin().get(`${API}/admin/api-keys`).expect(200);
      const listed = response.body.data.items.find((k: { id: string }) => k.id === created.id);
      expect(listed).toEqual({
        id: created.id,
        name: 'listed',
        prefix: created.prefix,
        scopes: ['inventory:read'],
        createdAt: created.createdAt,
        revokedAt: null,
      });
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(created.key);
      expect(text).not.toContain(hashApiKeySecret(created.key));
    });

    it('should revoke at once, answer a second revocation unchanged, and 404 an unknown key', async () => {
      const created = await createKey(['inventory:read']);
      await anonymous().get(`${API}/admin/inventory/all`).set('X-API-Key', created.key).expect(200);
      const revoked = await admin().delete(`${API}/admin/api-keys/${created.id}`).expect(200);
      expect(revoked.body.data).toMatchObject({ id: created.id, revokedAt: expect.any(String) });
      expect(revoked.body.data).not.toHaveProperty('key');
      await anonymous().get(`${API}/admin/inventory/all`).set('X-API-Key', created.key).expect(401);
      const again = await admin().delete(`${API}/admin/api-keys/${created.id}`).expect(200);
      expect(again.body.data.revokedAt).toBe(revoked.body.data.revokedAt);
      const listed = (await admin().get(`${API}/admin/api-keys`).expect(200)).body.data.items.find(
        (k: { id: string }) => k.id === created.id,
      );
      expect(listed.revokedAt).toBe(revoked.body.data.revokedAt);
      expect((await admin().delete(`${API}/admin/api-keys/${randomUUID()}`).expect(404)).body.code).toBe('API_KEY_NOT_FOUND');
      expect((await admin().delete(`${API}/admin/api-keys/not-a-uuid`).expect(400)).body.code).toBe('VALIDATION_FAILED');
    });

    it("should never log a key's secret nor ADMIN_API_KEY", async () => {
      const created = await createKey(['inventory:read']);
      await anonymous().get(`${API}/admin/inventory/all`).set('X-API-Key', created.key).expect(200);
      await anonymous()
        .get(`${API}/admin/inventory/all`)
        .set('X-API-Key', `${created.key.slice(0, -1)}x`)
        .expect(401);
      const logged = app.testApp.logger.lines.join('\n');
      expect(app.testApp.logger.lines.length).toBeGreaterThan(0);
      expect(logged).not.toContain(created.key);
      expect(logged).not.toContain(created.key.slice(12));
      expect(logged).not.toContain(TEST_ADMIN_API_KEY);
    });
  });

  describe('customer routes, open by default', () => {
    it('should serve them without a key, and refuse an invalid key sent anyway', async () => {
      const sku = uniqueSku();
      await admin().post(`${API}/admin/inventory`).send({ sku, productName: 'Open', totalQuantity: 5 }).expect(201);
      await anonymous().get(`${API}/inventory/${sku}`).expect(200);
      const held = await anonymous()
        .post(`${API}/inventory/reserve`)
        .set('Idempotency-Key', randomUUID())
        .send({ sku, userId: 'u', quantity: 1 })
        .expect(201);
      const reservationId = held.body.data.reservationId;
      await anonymous().get(`${API}/reservations/${reservationId}`).expect(200);
      await anonymous().post(`${API}/checkout/confirm`).send({ reservationId }).expect(200);
      await anonymous()
        .get(`${API}/inventory/${sku}`)
        .set('X-API-Key', `irs_${'B'.repeat(43)}`)
        .expect(401);
    });
  });

  describe('idempotency keys, per client', () => {
    it("should run another client's request with a key the first client used, and still replay to the first", async () => {
      const sku = uniqueSku();
      await admin().post(`${API}/admin/inventory`).send({ sku, productName: 'Shared key', totalQuantity: 20 }).expect(201);
      const [a, b] = [await createKey(['reservations:write']), await createKey(['reservations:write'])];
      const key = `order-${randomUUID()}`;
      const reserve = (apiKey: string | null, quantity: number) => {
        const call = anonymous().post(`${API}/inventory/reserve`).set('Idempotency-Key', key);
        return (apiKey ? call.set('Authorization', `Bearer ${apiKey}`) : call).send({ sku, userId: 'u', quantity });
      };

      const first = await reserve(a.key, 2).expect(201);
      const other = await reserve(b.key, 3).expect(201);
      expect(other.headers['idempotent-replayed']).toBeUndefined();
      expect(other.body.data).toMatchObject({ quantity: 3, idempotencyKey: key });
      expect(other.body.data.reservationId).not.toBe(first.body.data.reservationId);
      const samePayload = await reserve(null, 2).expect(201);
      expect(samePayload.body.data.reservationId).not.toBe(first.body.data.reservationId);

      const retry = await reserve(a.key, 2).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body.data.reservationId).toBe(first.body.data.reservationId);
      expect((await reserve(a.key, 4).expect(422)).body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const stock = await anonymous().get(`${API}/inventory/${sku}`).expect(200);
      expect(stock.body.data.availableQuantity).toBe(20 - 2 - 3 - 2);
    });
  });

  describe('the OpenAPI document', () => {
    it("should declare both security schemes and each admin operation's scope and security", async () => {
      const { body } = await anonymous().get('/docs-json').expect(200);
      expect(body.components.securitySchemes).toEqual({
        bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
        apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      });
      const create = body.paths[`${API}/admin/inventory`].post;
      expect(create['x-required-scope']).toBe('inventory:write');
      expect(create.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
      expect(create.description).toContain('Requires an API key with the scope `inventory:write`');
      expect(body.paths[`${API}/admin/api-keys`].get['x-required-scope']).toBe('keys:write');
      expect(body.paths[`${API}/inventory/reserve`].post.security).toEqual([{}, { bearer: [] }, { apiKey: [] }]);
      expect(body.paths['/health'].get.security).toBeUndefined();
    });
  });
});

describeEachBackend('API keys required on customer routes (CUSTOMER_API_KEY_REQUIRED)', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend, { auth: { adminApiKey: TEST_ADMIN_API_KEY, customerKeyRequired: true } });
  const anonymous = () => request(app.testApp.server);
  const createKey = async (scopes: ApiKeyScope[]) =>
    (await withKey(app.testApp.server).post(`${API}/admin/api-keys`).send({ name: 'customer', scopes }).expect(201)).body.data
      .key as string;

  it('should need reservations:write for writes and any valid key for reads', async () => {
    const sku = uniqueSku();
    await withKey(app.testApp.server).post(`${API}/admin/inventory`).send({ sku, productName: 'Closed', totalQuantity: 5 }).expect(201);
    const [reader, writer] = [await createKey(['inventory:read']), await createKey(['reservations:write'])];
    const reserve = () =>
      anonymous().post(`${API}/inventory/reserve`).set('Idempotency-Key', randomUUID()).send({ sku, userId: 'u', quantity: 1 });

    expect((await anonymous().get(`${API}/inventory/${sku}`).expect(401)).body.code).toBe('UNAUTHENTICATED');
    await reserve().expect(401);
    await anonymous().post(`${API}/checkout/confirm`).send({ reservationId: randomUUID() }).expect(401);
    await anonymous().post(`${API}/checkout/cancel`).send({ reservationId: randomUUID() }).expect(401);
    await anonymous().get(`${API}/reservations/${randomUUID()}`).expect(401);

    await anonymous().get(`${API}/inventory/${sku}`).set('X-API-Key', reader).expect(200);
    const denied = await reserve().set('X-API-Key', reader).expect(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', details: { requiredScope: 'reservations:write' } });
    await anonymous().post(`${API}/checkout/cancel`).set('X-API-Key', reader).send({ reservationId: randomUUID() }).expect(403);

    const held = await reserve().set('X-API-Key', writer).expect(201);
    await anonymous().get(`${API}/reservations/${held.body.data.reservationId}`).set('X-API-Key', writer).expect(200);
    await anonymous()
      .post(`${API}/checkout/confirm`)
      .set('X-API-Key', writer)
      .send({ reservationId: held.body.data.reservationId })
      .expect(200);
    await anonymous().get('/health/ready').expect(200);
  });

  it('should document customer operations as needing a key', async () => {
    const { body } = await anonymous().get('/docs-json').expect(200);
    expect(body.paths[`${API}/inventory/reserve`].post.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(body.paths[`${API}/inventory/reserve`].post.description).toContain('`reservations:write`');
  });
});

describeEachBackend('A fresh deployment without ADMIN_API_KEY', ALL_BACKENDS, (backend) => {
  const app = appOnFreshDatabase(backend, { auth: { adminApiKey: undefined, customerKeyRequired: false }, docsEnabled: false });

  it('should never be open: admin routes answer 401, and the log says what happened', async () => {
    await request(app.testApp.server).get(`${API}/admin/inventory/all`).expect(401);
    const logged = app.testApp.logger.lines.join('\n');
    if (backend === 'pglite') {
      // The embedded default (in memory here) creates a key with every scope and shows it once.
      const key = /created one with every scope.*: (irs_[A-Za-z0-9_-]{43})/.exec(logged)?.[1];
      expect(key).toBeDefined();
      await withKey(app.testApp.server, key).get(`${API}/admin/api-keys`).expect(200);
    } else {
      expect(logged).toContain(
        'No API key exists and ADMIN_API_KEY is unset: admin routes answer 401 until you create one with `npm run api-key',
      );
      expect(logged).not.toMatch(/irs_/);
    }
  });

  it('should serve no documentation with DOCS_ENABLED=false', async () => {
    await request(app.testApp.server).get('/docs').expect(404);
    await request(app.testApp.server).get('/docs-json').expect(404);
    expect(base.docsEnabled).toBe(true);
  });
});
