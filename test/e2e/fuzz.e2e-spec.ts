import fc from 'fast-check';
import request from 'supertest';
import { ALL_BACKENDS, createTestDatabase, describeEachBackend, TestDatabase } from '../support/backends';
import { createTestApp, TestApp, withKey } from '../support/create-test-app';

/** Generated runs per endpoint and backend: enough to cover every kind of bad value, small enough for a short run. */
const RUNS = 25;
/** A refused request is answered well within this; past it something hangs. */
const ANSWER_BOUND_MS = 5_000;

const EXISTING = [
  { sku: 'FUZZ-A', productName: 'Fuzzed A', totalQuantity: 50 },
  { sku: 'FUZZ-B', productName: 'Fuzzed B', totalQuantity: 5 },
];
const EXISTING_SKUS = new Set(EXISTING.map((item) => item.sku));
/** A well-formed id no hold has. */
const UNKNOWN_HOLD = '00000000-0000-4000-8000-000000000000';

/** Values of every kind a client can send where a field expects something else. */
const badValue = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 0.5, -0.0001, 1e308, -1e308, 2 ** 53, 10_001, 1_000_000_001, '', ' ', '2', '1e3'),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 10 }),
  fc.constantFrom("' OR 1=1 --", '"; DROP TABLE inventory_items; --', '../../etc/passwd', '%2e%2e%2f', '$where', '{"$gt":""}', '\ud800'),
  fc.string({ minLength: 1_000, maxLength: 5_000 }),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.constantFrom({ $gt: 0 }, { $ne: null }, [1, 2], { nested: { deeper: { deepest: [1] } } }),
);

/** A valid object with one field made bad, one field dropped, or an unknown field added. */
function corrupted(valid: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.keys(valid);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...fields), badValue).map(([field, value]) => ({ ...valid, [field]: value })),
    fc.constantFrom(...fields).map((field) => Object.fromEntries(Object.entries(valid).filter(([name]) => name !== field))),
    fc
      .tuple(
        fc.string({ minLength: 1, maxLength: 12 }).filter((name) => !fields.includes(name)),
        fc.anything({ maxDepth: 1 }),
      )
      .map(([name, value]) => ({ ...valid, [name]: value })),
  );
}

/** Raw bodies: not JSON, JSON of the wrong shape, prototype keys. */
const rawBody = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.json({ maxDepth: 3 }),
  fc.constantFrom(
    '{"__proto__":{"admin":true},"sku":"X-1"}',
    '{"constructor":{"prototype":{"admin":true}}}',
    '[]',
    'null',
    '1',
    '"text"',
    '{',
  ),
);

/** Header values a client library will still send (printable ASCII). */
const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 300 });
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/xml',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
);

/** Path segments that are not an existing SKU (or not a SKU at all). */
const pathSegment = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 80 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
    fc.constantFrom('..', '%00', '%2F', 'a'.repeat(65), '00000000-0000-0000-0000-00000000000G'),
  )
  .filter((segment) => !EXISTING_SKUS.has(segment) && segment !== '.' && segment !== '..')
  .map((segment) => encodeURIComponent(segment));

interface Attempt {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

const endpoints: Record<string, fc.Arbitrary<Attempt>> = {
  'POST /admin/inventory': fc
    .oneof(
      corrupted({ sku: 'FUZZ-NEW', productName: 'New', totalQuantity: 3, availableQuantity: 2 }).map((body) => ({ body })),
      rawBody.map((raw) => ({ raw })),
    )
    .map((attempt) => ({ method: 'post' as const, path: '/api/v1/admin/inventory', ...attempt })),
  'POST /admin/inventory/bulk': fc
    .oneof(
      corrupted({ items: [{ sku: 'FUZZ-BULK', productName: 'Bulk', totalQuantity: 1 }] }),
      fc.record({ items: fc.array(badValue, { minLength: 1, maxLength: 3 }) }),
    )
    .filter(
      (body) =>
        !Array.isArray(body.items) ||
        body.items.every((item) => typeof item !== 'object' || item === null || (item as { sku?: unknown }).sku !== 'FUZZ-BULK'),
    )
    .map((body) => ({ method: 'post' as const, path: '/api/v1/admin/inventory/bulk', body })),
  'GET /admin/inventory/all': fc
    .dictionary(fc.constantFrom('page', 'limit', 'sortBy', 'sortOrder', 'filter', '__proto__'), headerValue, { minKeys: 1, maxKeys: 3 })
    .filter((query) => Object.values(query).some((value) => !/^\d{1,2}$/.test(value) && !['sku', 'asc', 'desc'].includes(value)))
    .map((query) => ({ method: 'get' as const, path: `/api/v1/admin/inventory/all?${new URLSearchParams(query).toString()}` })),
  'PUT /admin/inventory/:sku': fc
    .tuple(fc.oneof(fc.constant('FUZZ-A'), pathSegment), corrupted({ productName: 'Renamed', totalQuantity: 60, availableQuantity: 50 }))
    .filter(
      ([sku, body]) =>
        sku !== 'FUZZ-A' ||
        Object.keys(body).some((key) => !['productName', 'totalQuantity', 'availableQuantity'].includes(key)) ||
        body.totalQuantity !== 60 ||
        typeof body.productName !== 'string',
    )
    .map(([sku, body]) => ({ method: 'put' as const, path: `/api/v1/admin/inventory/${sku}`, body })),
  'DELETE /admin/inventory/:sku': pathSegment.map((sku) => ({ method: 'delete' as const, path: `/api/v1/admin/inventory/${sku}` })),
  'GET /admin/inventory/:sku/reconcile': pathSegment.map((sku) => ({
    method: 'get' as const,
    path: `/api/v1/admin/inventory/${sku}/reconcile`,
  })),
  'GET /inventory?skus=': fc
    .oneof(
      fc.dictionary(fc.constantFrom('skus', 'sku', 'limit', '__proto__'), headerValue, { minKeys: 1, maxKeys: 3 }),
      fc.array(fc.oneof(headerValue, pathSegment), { minLength: 1, maxLength: 120 }).map((skus) => ({ skus: skus.join(',') })),
    )
    .map((query) => ({ method: 'get' as const, path: `/api/v1/inventory?${new URLSearchParams(query).toString()}` })),
  'GET /admin/reservations': fc
    .dictionary(
      fc.constantFrom('status', 'sku', 'userId', 'expiringWithinSeconds', 'cursor', 'limit', 'page', '__proto__'),
      fc.oneof(headerValue, fc.constantFrom('', 'RESERVED', '0', '-1', '1e3', '201', 'aDox', Buffer.from('h:1:x').toString('base64url'))),
      { minKeys: 1, maxKeys: 4 },
    )
    .map((query) => ({ method: 'get' as const, path: `/api/v1/admin/reservations?${new URLSearchParams(query).toString()}` })),
  'GET /inventory/:sku': pathSegment.map((sku) => ({ method: 'get' as const, path: `/api/v1/inventory/${sku}` })),
  'POST /inventory/reserve': fc
    .tuple(corrupted({ sku: 'FUZZ-A', userId: 'fuzzer', quantity: 1 }), fc.option(headerValue, { nil: undefined }), contentType)
    .map(([body, key, type]) => ({
      method: 'post' as const,
      path: '/api/v1/inventory/reserve',
      body,
      headers: { 'content-type': type, ...(key === undefined ? {} : { 'idempotency-key': key }) },
    })),
  'POST /reservations': fc
    .tuple(
      fc.oneof(
        corrupted({ userId: 'fuzzer', items: [{ sku: 'FUZZ-A', quantity: 1 }] }),
        fc.record({ userId: fc.constant('fuzzer'), items: fc.array(badValue, { minLength: 1, maxLength: 3 }) }),
        fc.record({ userId: fc.constant('fuzzer'), items: fc.constant([{ sku: 'FUZZ-A', quantity: 1 }]), ttlSeconds: badValue }),
      ),
      fc.option(headerValue, { nil: undefined }),
    )
    .map(([body, key]) => ({
      method: 'post' as const,
      path: '/api/v1/reservations',
      body,
      headers: { ...(key === undefined ? {} : { 'idempotency-key': key }) },
    })),
  'POST /reservations/:id/extend': fc
    .tuple(fc.oneof(fc.constant(UNKNOWN_HOLD), pathSegment), fc.oneof(corrupted({ seconds: 60 }), fc.record({ seconds: badValue })))
    .map(([id, body]) => ({ method: 'post' as const, path: `/api/v1/reservations/${id}/extend`, body })),
  'POST /reservations/:id/release': fc
    .tuple(
      fc.oneof(fc.constant(UNKNOWN_HOLD), pathSegment),
      fc.oneof(corrupted({ items: [{ sku: 'FUZZ-B', quantity: 1 }] }), fc.record({ items: fc.array(badValue, { maxLength: 3 }) })),
    )
    .map(([id, body]) => ({ method: 'post' as const, path: `/api/v1/reservations/${id}/release`, body })),
  'GET /reservations/:id': pathSegment.map((id) => ({ method: 'get' as const, path: `/api/v1/reservations/${id}` })),
  'POST /checkout/confirm': fc
    .oneof(corrupted({ reservationId: '00000000-0000-4000-8000-000000000000' }), fc.record({ reservationId: badValue }))
    .map((body) => ({ method: 'post' as const, path: '/api/v1/checkout/confirm', body })),
  'POST /checkout/cancel': fc
    .oneof(corrupted({ reservationId: '00000000-0000-4000-8000-000000000000' }), fc.record({ reservationId: badValue }))
    .map((body) => ({ method: 'post' as const, path: '/api/v1/checkout/cancel', body })),
};

/**
 * Property-based attack on every endpoint with generated bad input. Whatever arrives: never a 5xx, always
 * the error envelope with a stable code, an answer within a bound, and the stock unchanged.
 */
describeEachBackend('Fuzzed input', ALL_BACKENDS, (backend) => {
  let database: TestDatabase;
  let testApp: TestApp;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    database = await createTestDatabase(backend);
    testApp = await createTestApp(database.config);
    http = withKey(testApp.server);
    for (const item of EXISTING) await http.post('/api/v1/admin/inventory').send(item).expect(201);
    await http
      .post('/api/v1/inventory/reserve')
      .set('Idempotency-Key', 'fuzz-existing-hold')
      .send({ sku: 'FUZZ-B', userId: 'u', quantity: 2 })
      .expect(201);
  });
  afterAll(async () => {
    await testApp.app.close();
    await database.dispose();
  });

  const stock = async () => (await http.get('/api/v1/admin/inventory/all?limit=100').expect(200)).body.data.items;

  const send = (attempt: Attempt) => {
    let call = http[attempt.method](attempt.path);
    for (const [name, value] of Object.entries(attempt.headers ?? {})) call = call.set(name, value);
    if (attempt.raw === undefined && attempt.body === undefined) return call;
    if (!attempt.headers?.['content-type']) call = call.set('content-type', 'application/json');
    return call.send(attempt.raw ?? JSON.stringify(attempt.body));
  };

  it.each(Object.keys(endpoints))(
    '%s should answer bad input in the envelope, never with a 5xx, refusals changing nothing',
    async (name) => {
      let expected = await stock();
      await fc.assert(
        fc.asyncProperty(endpoints[name], async (attempt) => {
          const started = Date.now();
          const response = await send(attempt);
          const elapsed = Date.now() - started;
          const answer = JSON.stringify(response.body).slice(0, 500);
          const summary = `${attempt.method.toUpperCase()} ${attempt.path} -> ${response.status} ${answer}`;
          expect([summary, elapsed < ANSWER_BOUND_MS, response.status < 500]).toEqual([summary, true, true]);
          if (response.status < 400) {
            // The generator can hit a valid request now and then; what it did is the new baseline.
            expected = await stock();
            return;
          }
          expect([summary, response.body]).toEqual([
            summary,
            expect.objectContaining({
              success: false,
              message: expect.any(String),
              code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
              requestId: expect.any(String),
            }),
          ]);
          expect([summary, await stock()]).toEqual([summary, expected]);
        }),
        { numRuns: RUNS },
      );
    },
  );
});
