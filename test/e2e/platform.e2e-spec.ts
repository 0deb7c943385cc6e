import { InventoryRepository } from '@app/core';
import request from 'supertest';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { ShutdownState } from '../../apps/api/src/lifecycle/shutdown-state';

/** Errors raised outside the controllers, health probes and the API documentation. */
describeEachBackend('HTTP platform', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config, { bodyLimitBytes: 4_096 });
    http = withKey(testApp.server);
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  describe('errors', () => {
    it('should answer 400 in the envelope for malformed JSON', async () => {
      const response = await http
        .post('/api/v1/admin/inventory')
        .set('content-type', 'application/json')
        .send('{"sku": "A-1",')
        .expect(400);
      expect(response.body).toMatchObject({ success: false, code: 'BAD_REQUEST', requestId: expect.any(String) });
      expect(response.body.message).toMatch(/JSON/);
    });

    it('should answer 400 for JSON nested deeper than the limit, and accept ordinary nesting', async () => {
      const deep = `${'['.repeat(40)}1${']'.repeat(40)}`;
      const response = await http
        .post('/api/v1/admin/inventory')
        .set('content-type', 'application/json')
        .send(`{"sku":"DEEP-1","productName":"x","totalQuantity":${deep}}`)
        .expect(400);
      expect(response.body).toMatchObject({ success: false, message: 'JSON body nests deeper than 32 levels' });
      await http
        .post('/api/v1/admin/inventory')
        .send({ sku: 'DEEP-2', productName: 'x', totalQuantity: [[1]] })
        .expect(400);
    });

    it('should answer 400, not 500, for control characters that PostgreSQL cannot store', async () => {
      const response = await http
        .post('/api/v1/admin/inventory')
        .send({ sku: 'NUL-1', productName: 'a\u0000b', totalQuantity: 1 })
        .expect(400);
      expect(response.body.errors[0]).toEqual({ field: 'productName', messages: ['productName must not contain control characters'] });
    });

    it('should answer 415 in the envelope for a body that is not JSON', async () => {
      const response = await http.post('/api/v1/admin/inventory').set('content-type', 'text/plain').send('sku=A-1').expect(415);
      expect(response.body).toMatchObject({
        success: false,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Unsupported Content-Type: send application/json',
      });
    });

    it('should answer 404 in the envelope for an unknown route', async () => {
      const response = await http.get('/api/v1/nothing-here').expect(404);
      expect(response.body).toMatchObject({ success: false, code: 'NOT_FOUND', message: 'Cannot GET /api/v1/nothing-here' });
    });

    it('should answer 413 in the envelope for a body over BODY_LIMIT_BYTES', async () => {
      const items = Array.from({ length: 100 }, (_, i) => ({ sku: `BIG-${i}`, productName: 'x'.repeat(50), totalQuantity: 1 }));
      const response = await http.post('/api/v1/admin/inventory/bulk').send({ items }).expect(413);
      expect(response.body).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
    });

    it('should answer 500 with a generic message, log the cause with the request id and echo that id', async () => {
      const repository = testApp.app.get(InventoryRepository);
      const spy = jest.spyOn(repository, 'findBySku').mockRejectedValueOnce(new Error('disk on fire at /var/lib/secret'));
      const response = await http.get('/api/v1/inventory/ANY-1').set('x-request-id', 'trace-500-check').expect(500);
      spy.mockRestore();
      expect(response.body).toEqual({
        success: false,
        message: 'Internal server error',
        code: 'INTERNAL_ERROR',
        requestId: 'trace-500-check',
      });
      expect(response.headers['x-request-id']).toBe('trace-500-check');
      expect(JSON.stringify(response.body)).not.toContain('secret');
      expect(testApp.logger.errors.join('\n')).toMatch(/trace-500-check[\s\S]*disk on fire/);
    });

    it('should replace a malformed incoming request id with its own', async () => {
      const response = await http.get('/api/v1/nothing').set('x-request-id', 'bad id with spaces').expect(404);
      expect(response.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('health', () => {
    it('should answer GET /health with the shape of the original service while the database answers', async () => {
      const response = await http.get('/health').expect(200);
      expect(response.body).toMatchObject({ success: true, status: 'ok', info: { database: { status: 'up' } } });
    });

    it('should answer GET /health/live', async () => {
      expect((await http.get('/health/live').expect(200)).body).toMatchObject({ success: true, status: 'ok' });
    });

    it('should answer GET /health/ready 200, then 503 once draining has begun', async () => {
      await http.get('/health/ready').expect(200);
      const state = testApp.app.get(ShutdownState);
      state.beginDraining();
      const response = await http.get('/health/ready').expect(503);
      expect(response.body).toMatchObject({ success: false, status: 'error', error: { shutdown: { status: 'down' } } });
      await http.get('/health/live').expect(200);
      (state as unknown as { draining: boolean }).draining = false;
    });

    it('should not serve health under the API prefix', async () => {
      await http.get('/api/v1/health').expect(404);
    });
  });

  describe('documentation', () => {
    it('should serve Swagger UI at /docs', async () => {
      const response = await http.get('/docs').expect(200);
      expect(response.text).toContain('swagger');
    });

    it('should document every endpoint with its statuses at /docs-json', async () => {
      const { body } = await http.get('/docs-json').expect(200);
      const statuses = (path: string, method: string) => Object.keys(body.paths[path]?.[method]?.responses ?? {}).sort();
      expect(statuses('/api/v1/admin/inventory', 'post')).toEqual(['201', '400', '401', '403', '409', '413', '415', '429', '500', '503']);
      expect(statuses('/api/v1/admin/inventory/bulk', 'post')).toEqual(['201', '400', '401', '403', '413', '415', '429', '500', '503']);
      expect(statuses('/api/v1/admin/inventory/all', 'get')).toEqual(['200', '400', '401', '403', '429', '500', '503']);
      expect(statuses('/api/v1/admin/inventory/{sku}', 'put')).toEqual([
        '200',
        '400',
        '401',
        '403',
        '404',
        '409',
        '413',
        '415',
        '429',
        '500',
        '503',
      ]);
      expect(statuses('/api/v1/admin/inventory/{sku}', 'delete')).toEqual(['200', '400', '401', '403', '404', '409', '429', '500', '503']);
      expect(statuses('/api/v1/admin/api-keys', 'post')).toEqual(['201', '400', '401', '403', '413', '415', '429', '500', '503']);
      expect(statuses('/api/v1/admin/api-keys/{id}', 'delete')).toEqual(['200', '400', '401', '403', '404', '429', '500', '503']);
      expect(statuses('/api/v1/inventory/{sku}', 'get')).toEqual(['200', '400', '401', '404', '429', '500', '503']);
      expect(statuses('/api/v1/reservations', 'post')).toEqual([
        '201',
        '400',
        '401',
        '404',
        '409',
        '413',
        '415',
        '422',
        '429',
        '500',
        '503',
      ]);
      for (const action of ['extend', 'release']) {
        expect(statuses(`/api/v1/reservations/{reservationId}/${action}`, 'post')).toEqual([
          '200',
          '400',
          '401',
          '404',
          '409',
          '410',
          '413',
          '415',
          '429',
          '500',
          '503',
        ]);
      }
      expect(statuses('/health/ready', 'get')).toEqual(['200', '503']);
      expect(body.components.schemas.CreateInventoryDto.required).toEqual(['sku', 'productName', 'totalQuantity']);
    });

    it("should document the response shapes the original service's clients read", async () => {
      const { body } = await http.get('/docs-json').expect(200);
      const schema = (name: string) => body.components.schemas[name];
      const fields = (name: string) => Object.keys(schema(name).properties);
      expect(fields('BulkCreateResultDto')).toEqual(['success', 'failed', 'created', 'errors']);
      expect(schema('BulkCreateResultDto').properties.created).toMatchObject({
        type: 'array',
        items: { $ref: '#/components/schemas/InventoryItemDto' },
      });
      expect(schema('BulkCreateResultDto').properties.success).toMatchObject({ type: 'number' });
      expect(fields('BulkItemErrorDto')).toEqual(['index', 'sku', 'error', 'code', 'message']);
      expect(schema('BulkItemErrorDto').required).toEqual(['index', 'error', 'code', 'message']);
      expect(fields('PaginationDto')).toEqual([
        'page',
        'limit',
        'totalItems',
        'totalPages',
        'hasNextPage',
        'hasPreviousPage',
        'currentPage',
        'itemsPerPage',
      ]);
      expect(schema('PaginationDto').required).toEqual(fields('PaginationDto'));
      expect(schema('PublicInventoryDto').required).toEqual(['sku', 'productName', 'totalQuantity', 'availableQuantity']);
      // A hold shows its lines; sku and quantity stay, optional, for holds of one line.
      expect(fields('ReservationViewDto')).toEqual(expect.arrayContaining(['reservationId', 'sku', 'quantity', 'items', 'status']));
      expect(schema('ReservationViewDto').required).toEqual(expect.arrayContaining(['reservationId', 'userId', 'items', 'status']));
      expect(schema('ReservationViewDto').required).not.toContain('sku');
      expect(schema('ReservationViewDto').required).not.toContain('quantity');
      expect(schema('HoldDto').required).toEqual(['userId', 'items']);
      const bulkMessage =
        body.paths['/api/v1/admin/inventory/bulk'].post.responses['201'].content['application/json'].schema.properties.message;
      expect(bulkMessage.example).toBe('Bulk inventory created: 1 succeeded, 1 failed');
    });
  });
});
