import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPI } from 'openapi-types';
import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { API_TAGS } from '../../apps/api/src/swagger';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ReservationApi } from '../support/reservation-api';

/** The edges around the API: CORS, headers, validation wording, encodings, the docs and the OpenAPI document. */
describeEachBackend('HTTP edges', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let http: ReturnType<typeof request>;
  let api: ReservationApi;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config, { corsOrigin: ['https://admin.example.com', 'https://shop.example.com'] });
    http = withKey(testApp.server);
    api = new ReservationApi(http);
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  const available = async (sku: string) => (await http.get(`/api/v1/inventory/${sku}`).expect(200)).body.data.availableQuantity;

  describe('CORS', () => {
    it.each(['PUT', 'PATCH', 'DELETE'])('should allow a preflight for %s from another origin', async (method) => {
      const response = await http
        .options('/api/v1/admin/inventory/SKU-1')
        .set('Origin', 'https://admin.example.com')
        .set('Access-Control-Request-Method', method)
        .expect(204);
      expect(response.headers['access-control-allow-methods']?.split(/,\s*/)).toContain(method);
    });

    it('should expose the request id, replay, retry and rate-limit headers to scripts', async () => {
      const response = await http.get('/api/v1/inventory/NOPE-1').set('Origin', 'https://shop.example.com').expect(404);
      const exposed = response.headers['access-control-expose-headers']?.toLowerCase().split(/,\s*/);
      expect(exposed).toEqual(
        expect.arrayContaining(['x-request-id', 'idempotent-replayed', 'retry-after', 'ratelimit', 'ratelimit-policy']),
      );
    });
  });

  describe('idempotent replays', () => {
    it("should carry this response's request id in the header and, for errors, in the body", async () => {
      const sku = await api.createSku(1);
      const body = { sku, userId: 'u1', quantity: 5 };
      const first = await api.reserve(body, 'edge-replay-409').set('x-request-id', 'first-request').expect(409);
      expect(first.body.requestId).toBe('first-request');

      const replay = await api.reserve(body, 'edge-replay-409').set('x-request-id', 'second-request').expect(409);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.headers['x-request-id']).toBe('second-request');
      expect(replay.body).toEqual({ ...first.body, requestId: 'second-request' });
    });

    it('should answer a replayed success with its own request id header', async () => {
      const sku = await api.createSku(3);
      const body = { sku, userId: 'u1', quantity: 1 };
      const first = await api.reserve(body, 'edge-replay-201').set('x-request-id', 'first-ok').expect(201);
      const replay = await api.reserve(body, 'edge-replay-201').set('x-request-id', 'second-ok').expect(201);
      expect(replay.headers['x-request-id']).toBe('second-ok');
      expect(replay.body).toEqual(first.body);
    });

    it('should answer 400 for two Idempotency-Key headers, and hold nothing', async () => {
      const sku = await api.createSku(3);
      const response = await http
        .post('/api/v1/inventory/reserve')
        // superagent sends an array as repeated header lines; its types allow that only for Cookie.
        .set('Idempotency-Key', ['edge-a', 'edge-b'] as unknown as string)
        .send({ sku, userId: 'u1', quantity: 1 })
        .expect(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'Idempotency-Key' }] });
      expect(await available(sku)).toBe(3);
      await api.reserve({ sku, userId: 'u1', quantity: 1 }, 'edge-a').expect(201);
    });
  });

  describe('validation wording', () => {
    it('should say a missing quantity is required', async () => {
      const sku = await api.createSku(3);
      const response = await api.reserve({ sku, userId: 'u1' }).expect(400);
      expect(response.body.message).toBe('Validation failed: quantity is required');
      expect(response.body.errors).toEqual([{ field: 'quantity', messages: ['quantity is required'] }]);
    });

    it('should say a quantity sent as a string must be an integer', async () => {
      const sku = await api.createSku(3);
      const response = await api.reserve({ sku, userId: 'u1', quantity: '2' }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'quantity', messages: ['quantity must be an integer'] }]);
    });

    it('should still name the range when the type is right', async () => {
      const sku = await api.createSku(3);
      const response = await api.reserve({ sku, userId: 'u1', quantity: 0 }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'quantity', messages: ['quantity must not be less than 1'] }]);
    });

    it.each([
      ['NUL', '\u0000'],
      ['BEL', '\u0007'],
      ['ESC', '\u001b'],
      ['DEL', '\u007f'],
      ['C1 NEL', '\u0085'],
      ['C1 CSI', '\u009b'],
    ])('should refuse %s in a user id with 400 and hold nothing', async (_name, character) => {
      const sku = await api.createSku(3);
      const response = await api.reserve({ sku, userId: `user${character}1`, quantity: 1 }).expect(400);
      expect(response.body.errors).toEqual([{ field: 'userId', messages: ['userId must not contain control characters'] }]);
      expect(await available(sku)).toBe(3);
    });

    it('should refuse a user id that is only a control character', async () => {
      const sku = await api.createSku(3);
      await api.reserve({ sku, userId: '\u0000', quantity: 1 }).expect(400);
      expect(await available(sku)).toBe(3);
    });

    it('should refuse C1 control characters in a product name', async () => {
      const response = await http
        .post('/api/v1/admin/inventory')
        .send({ sku: 'EDGE-C1', productName: 'a\u009bb', totalQuantity: 1 })
        .expect(400);
      expect(response.body.errors).toEqual([{ field: 'productName', messages: ['productName must not contain control characters'] }]);
      await http.get('/api/v1/inventory/EDGE-C1').expect(404);
    });
  });

  describe('Content-Encoding', () => {
    const item = { sku: 'EDGE-GZ', productName: 'Zipped', totalQuantity: 1 };

    it('should answer 415 for a real gzip body, creating nothing', async () => {
      const response = await http
        .post('/api/v1/admin/inventory')
        .set('content-type', 'application/json')
        .set('content-encoding', 'gzip')
        .send(gzipSync(JSON.stringify(item)))
        .expect(415);
      expect(response.body).toMatchObject({ success: false, code: 'UNSUPPORTED_MEDIA_TYPE', requestId: expect.any(String) });
      expect(response.body.message).toMatch(/Content-Encoding/);
      await http.get('/api/v1/inventory/EDGE-GZ').expect(404);
    });

    it('should answer 415 for a plain body labelled gzip', async () => {
      await http.post('/api/v1/admin/inventory').set('content-encoding', 'gzip').send(item).expect(415);
      await http.get('/api/v1/inventory/EDGE-GZ').expect(404);
    });

    it('should accept identity', async () => {
      await http.post('/api/v1/admin/inventory').set('content-encoding', 'identity').send(item).expect(201);
    });
  });

  describe('documentation', () => {
    it('should send /docs/ to /docs, whose assets load', async () => {
      const redirect = await http.get('/docs/?x=1').expect(301);
      expect(redirect.headers.location).toBe('/docs?x=1');
      const page = await http.get('/docs').expect(200);
      const assets = [...page.text.matchAll(/(?:href|src)="([^"]+\.(?:css|js))"/g)].map((m) => m[1]);
      expect(assets.length).toBeGreaterThan(0);
      for (const asset of assets) await http.get(new URL(asset, 'http://host/docs').pathname).expect(200);
    });

    describe('the OpenAPI document', () => {
      let document: OpenAPI.Document & { paths: Record<string, Record<string, any>>; tags?: { name: string }[] };
      const operations = () =>
        Object.entries(document.paths).flatMap(([path, item]) =>
          Object.entries(item).map(([method, operation]) => ({ path, method, operation: operation as Record<string, any> })),
        );

      beforeAll(async () => {
        document = (await http.get('/docs-json').expect(200)).body;
      });

      it('should be valid OpenAPI', async () => {
        await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
      });

      it('should declare every tag it uses and give every operation a unique operationId', () => {
        expect(document.tags?.map((tag) => tag.name).sort()).toEqual(Object.keys(API_TAGS).sort());
        const ids = operations().map(({ operation }) => operation.operationId);
        expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
        expect(new Set(ids).size).toBe(ids.length);
        for (const { operation } of operations()) for (const tag of operation.tags) expect(Object.keys(API_TAGS)).toContain(tag);
      });

      it('should document 429 and 503 on every API operation and 413/415 on those with a body', () => {
        for (const { path, operation } of operations().filter(({ path }) => path.startsWith('/api/v1/'))) {
          expect([path, Object.keys(operation.responses)]).toEqual([path, expect.arrayContaining(['429', '503'])]);
          if (operation.requestBody)
            expect([path, Object.keys(operation.responses)]).toEqual([path, expect.arrayContaining(['413', '415'])]);
        }
      });

      it('should document x-request-id on every response and Idempotent-Replayed where a key is taken', () => {
        for (const { operation } of operations()) {
          for (const response of Object.values<{ headers?: Record<string, unknown> }>(operation.responses)) {
            expect(response.headers).toHaveProperty(['x-request-id']);
          }
        }
        const idempotent = operations().filter(({ operation }) =>
          (operation.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key'),
        );
        expect(idempotent.map(({ path }) => path).sort()).toEqual([
          '/api/v1/checkout/cancel',
          '/api/v1/checkout/confirm',
          '/api/v1/inventory/reserve',
          '/api/v1/reservations',
          '/api/v1/reservations/{reservationId}/extend',
          '/api/v1/reservations/{reservationId}/release',
        ]);
        for (const { operation } of idempotent)
          expect(operation.responses['200'] ?? operation.responses['201']).toHaveProperty(['headers', 'Idempotent-Replayed']);
      });
    });
  });
});
