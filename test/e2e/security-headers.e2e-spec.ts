import request, { Response } from 'supertest';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';
import { uniqueSku } from '../support/unique';

/** `default-src 'self'; script-src 'self'` -> { 'default-src': ["'self'"], 'script-src': ["'self'"] } */
function cspOf(response: Response): Record<string, string[]> {
  const header: unknown = response.headers['content-security-policy'];
  if (typeof header !== 'string') throw new Error(`no Content-Security-Policy header on ${response.status}`);
  return Object.fromEntries(
    header
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

function expectBaseHeaders(response: Response): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(cspOf(response)['frame-ancestors']).toEqual(["'none'"]);
}

describeEachBackend('Security headers and CORS', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config);
    http = withKey(testApp.server);
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  describe('on every kind of response', () => {
    const responses: [string, () => Promise<Response>][] = [
      [
        'a JSON 201',
        () =>
          http
            .post('/api/v1/admin/inventory')
            .send({ sku: uniqueSku('HDR'), productName: 'I', totalQuantity: 1 })
            .expect(201),
      ],
      ['a JSON 200', () => http.get('/api/v1/admin/inventory/all').expect(200)],
      ['a 404 envelope', () => http.get('/api/v1/inventory/NO-SUCH-SKU').expect(404)],
      ['an unknown path', () => http.get('/no/such/page').expect(404)],
      ['a 400 validation error', () => http.post('/api/v1/admin/inventory').send({}).expect(400)],
      [
        'the web UI',
        () =>
          http
            .get('/')
            .expect(200)
            .expect('content-type', /text\/html/),
      ],
      [
        'a static asset',
        () =>
          http
            .get('/shared/api.js')
            .expect(200)
            .expect('content-type', /javascript/),
      ],
      [
        'the operations console',
        () =>
          http
            .get('/console.html')
            .expect(200)
            .expect('content-type', /text\/html/),
      ],
      [
        'uPlot, served by the app',
        () =>
          http
            .get('/vendor/uplot/uPlot.esm.js')
            .expect(200)
            .expect('content-type', /javascript/),
      ],
      ['/health', () => http.get('/health').expect(200)],
      [
        '/docs',
        () =>
          http
            .get('/docs')
            .expect(200)
            .expect('content-type', /text\/html/),
      ],
      ['a Swagger UI asset', () => http.get('/docs/swagger-ui-init.js').expect(200)],
      ['/docs-json', () => http.get('/docs-json').expect(200)],
    ];
    it.each(responses)('should send nosniff, no-referrer and frame-ancestors none on %s', async (_, send) => {
      expectBaseHeaders(await send());
    });
  });

  it('should give the web UI a CSP without inline script or style', async () => {
    const csp = cspOf(await http.get('/').expect(200));
    expect(csp['script-src']).toEqual(["'self'"]);
    expect(csp['script-src-attr']).toEqual(["'none'"]);
    expect(csp['style-src']).toEqual(["'self'"]);
    expect(csp['default-src']).toEqual(["'self'"]);
    expect(csp['object-src']).toEqual(["'none'"]);
    expect(csp['upgrade-insecure-requests']).toBeUndefined();
  });

  it('should loosen only styles for Swagger UI, and only under /docs', async () => {
    const docs = cspOf(await http.get('/docs').expect(200));
    expect(docs['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(docs['script-src']).toEqual(["'self'"]);
    expect(cspOf(await http.get('/docs-json').expect(200))['style-src']).toEqual(["'self'"]);
    expect(cspOf(await http.get('/api/v1/inventory/NO-SUCH-SKU').expect(404))['style-src']).toEqual(["'self'"]);
  });

  it('should send no HSTS by default', async () => {
    const response = await http.get('/health').expect(200);
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  describe('CORS by default', () => {
    it('should not let another origin read responses', async () => {
      const response = await http.get('/api/v1/inventory/NO-SUCH-SKU').set('Origin', 'https://evil.example').expect(404);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain'])(
      'should refuse %s, a body a browser sends cross-origin without a preflight (415)',
      async (type) => {
        const sku = uniqueSku('CSRF');
        await http.post('/api/v1/admin/inventory').send({ sku, productName: 'I', totalQuantity: 1 }).expect(201);
        await http
          .post('/api/v1/inventory/reserve')
          .set('Content-Type', type)
          .send(`sku=${sku}&userId=u&quantity=1&idempotencyKey=k-${sku}`)
          .expect(415);
        expect((await http.get(`/api/v1/inventory/${sku}`).expect(200)).body.data.availableQuantity).toBe(1);
      },
    );

    it('should refuse preflights, so browsers on other origins never send a JSON POST', async () => {
      const response = await http
        .options('/api/v1/inventory/reserve')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type, idempotency-key')
        .expect(404);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(response.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
    });
  });
});

describeEachBackend('Security headers and CORS, configured', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  const apps: TestApp[] = [];
  const start = async (overrides: Parameters<typeof createTestApp>[1]) => {
    const testApp = await createTestApp(database.config, overrides);
    apps.push(testApp);
    return withKey(testApp.server);
  };

  beforeAll(async () => {
    database = await createTestDatabase(backend);
  });
  afterAll(async () => {
    for (const testApp of apps) await testApp.app.close();
    await database.dispose();
  });

  it('should send HSTS with includeSubDomains and upgrade insecure requests when HSTS_MAX_AGE_SECONDS is set', async () => {
    const http = await start({ hstsMaxAgeSeconds: 31_536_000 });
    for (const path of ['/health', '/', '/api/v1/inventory/NO-SUCH-SKU']) {
      const response = await http.get(path);
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(cspOf(response)['upgrade-insecure-requests']).toEqual([]);
    }
  });

  it('should answer /docs and /docs-json 404 in the envelope when DOCS_ENABLED=false', async () => {
    const http = await start({ docsEnabled: false });
    for (const path of ['/docs', '/docs-json', '/docs/swagger-ui-init.js']) {
      const response = await http.get(path).expect(404);
      expect(response.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
      expectBaseHeaders(response);
    }
    await http.get('/').expect(200);
  });

  it("should send a literal '*' without credentials for CORS_ORIGIN=*, and allow the key and idempotency headers", async () => {
    const http = await start({ corsOrigin: '*' });
    const read = await http.get('/api/v1/inventory/NO-SUCH-SKU').set('Origin', 'https://any.example').expect(404);
    expect(read.headers['access-control-allow-origin']).toBe('*');
    expect(read.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await http
      .options('/api/v1/admin/inventory')
      .set('Origin', 'https://any.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization, x-api-key, idempotency-key, content-type')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']?.toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(['authorization', 'x-api-key', 'idempotency-key', 'content-type']),
    );
  });

  it('should allow exactly the listed origins', async () => {
    const http = await start({ corsOrigin: ['https://shop.example.com'] });
    const allowed = await http.get('/api/v1/inventory/NO-SUCH-SKU').set('Origin', 'https://shop.example.com').expect(404);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example.com');
    expect(allowed.headers.vary).toMatch(/origin/i);
    const other = await http.get('/api/v1/inventory/NO-SUCH-SKU').set('Origin', 'https://evil.example').expect(404);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
