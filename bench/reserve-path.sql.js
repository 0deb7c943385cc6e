// The exact statements the reserve path sends per request, as a pgbench script: three autocommit statements
// (claim the idempotency key, move stock and record the hold in one statement, store the response), with the
// same shapes and guards as the Drizzle adapter. Key and token are derived from pgbench variables.
'use strict';

// pgbench reads `:name` as a variable even inside a string literal, so the scope 'reserve:anonymous' is built from parts.
const SCOPE = `('reserve' || ':' || 'anonymous')`;

function script(skuExpression) {
  const key = `('b' || :client_id::text || '-' || :k::text)`;
  const token = `md5('b' || :client_id::text || '-' || :k::text)::uuid`;
  return `\\set k random(1, 9000000000000000)
\\set n random(0, 999)
INSERT INTO idempotency_records (scope, key, fingerprint, token, lease_until, created_at) VALUES (${SCOPE}, ${key}, repeat('f', 64), ${token}, now() + interval '30 seconds', now()) ON CONFLICT (scope, key) DO UPDATE SET token = EXCLUDED.token, lease_until = EXCLUDED.lease_until WHERE idempotency_records.response_status IS NULL AND idempotency_records.lease_until < EXCLUDED.created_at AND idempotency_records.fingerprint = EXCLUDED.fingerprint RETURNING token;
WITH stock AS (UPDATE inventory_items SET available_quantity = available_quantity - 1::integer, reserved_quantity = reserved_quantity + 1::integer, updated_at = now() WHERE sku = ${skuExpression} AND available_quantity >= 1::integer AND max_per_customer IS NULL RETURNING sku), hold AS (INSERT INTO reservations (id, user_id, status, expires_at, client_id, idempotency_key, created_at) SELECT gen_random_uuid(), 'bench-user', 'RESERVED', now() + interval '1 hour', 'anonymous', ${key}, now() FROM stock RETURNING *), line AS (INSERT INTO reservation_lines (reservation_id, sku, quantity) SELECT hold.id, stock.sku, 1::integer FROM hold, stock) SELECT * FROM hold;
UPDATE idempotency_records SET response_status = 201::integer, response_body = jsonb_build_object('success', true, 'message', 'Inventory reserved successfully'), completed_at = now() WHERE scope = ${SCOPE} AND key = ${key} AND token = ${token} AND response_status IS NULL RETURNING key;
`;
}

module.exports = {
  hot: (sku) => script(`'${sku}'`),
  spread: (prefix) => script(`'${prefix}' || :n`),
};
