// The benchmark's floor: the least a correct reserve endpoint must do, as plain Fastify + pg. The same route, body,
// Idempotency-Key header, request fingerprint and envelope as the service; the durable work in ONE statement
// (bench/one-statement.sql.js) on the service's migrated schema. Started by bench/run.js with DATABASE_URL, PORT and
// BENCH_POOL_MAX (the pool size the service gets too).
'use strict';
const { createHash } = require('node:crypto');
const fastify = require('fastify');
const { Pool } = require('pg');
const { oneStatement, SCOPE } = require('./one-statement.sql.js');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BENCH_POOL_MAX || 10) });
const RESERVE = {
  name: 'floor_reserve',
  text: oneStatement({ sku: '$1', userId: '$2', quantity: '$3', key: '$4', fingerprint: '$5' }),
};
const EXISTING = {
  name: 'floor_existing',
  text: `SELECT fingerprint, response_status, response_body FROM idempotency_records WHERE scope = ${SCOPE} AND key = $1`,
};
const KEY_PATTERN = '^[A-Za-z0-9_.:-]{1,255}$';
const bodySchema = {
  type: 'object',
  required: ['sku', 'userId', 'quantity'],
  additionalProperties: false,
  properties: {
    sku: { type: 'string', minLength: 1, maxLength: 64 },
    userId: { type: 'string', minLength: 1, maxLength: 128 },
    quantity: { type: 'integer', minimum: 1, maximum: 1000 },
  },
};

/** Like the service's requestFingerprint: method, scope and the body with its keys sorted. */
function fingerprint(body) {
  const sorted = Object.fromEntries(
    Object.keys(body)
      .sort()
      .map((name) => [name, body[name]]),
  );
  return createHash('sha256')
    .update(JSON.stringify(['POST', 'reserve', sorted]))
    .digest('hex');
}

const app = fastify();
app.get('/health/ready', async () => ({ status: 'ok' }));
app.post('/api/v1/inventory/reserve', { schema: { body: bodySchema } }, async (request, reply) => {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || !new RegExp(KEY_PATTERN).test(key)) {
    return reply.code(400).send({ success: false, code: 'IDEMPOTENCY_KEY_INVALID', message: 'A valid Idempotency-Key is required' });
  }
  const { sku, userId, quantity } = request.body;
  const print = fingerprint(request.body);
  try {
    const { rows } = await pool.query({ ...RESERVE, values: [sku, userId, quantity, key, print] });
    return reply.code(rows[0].status).send(rows[0].body);
  } catch (error) {
    if (error.code !== '23505') throw error;
  }
  // The key was used before (or is being used right now): the existing row answers.
  const { rows } = await pool.query({ ...EXISTING, values: [key] });
  const record = rows[0];
  if (record && record.fingerprint !== print) {
    return reply.code(422).send({ success: false, code: 'IDEMPOTENCY_KEY_REUSED', message: `Key '${key}' was used with another payload` });
  }
  if (!record || record.response_status === null) {
    return reply.code(409).send({ success: false, code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS', message: `Key '${key}' is in flight` });
  }
  return reply.code(record.response_status).send(record.response_body);
});

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).catch((error) => {
  console.error(error);
  process.exit(1);
});
process.on('SIGTERM', () => {
  app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
