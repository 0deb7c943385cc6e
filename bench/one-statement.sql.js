// The floor's reserve: the same durable work as the service's reserve path in ONE statement. The guarded stock move,
// the hold and its line, its ledger movement, its outbox events (a compact payload) and the idempotency row holding the
// stored response (201, or 409/404 when nothing moved), all as CTEs on the migrated schema. A second request with the
// same key fails on the idempotency row's primary key, which rolls the whole statement back: the caller then answers
// from the existing row. SKUs with a per-customer cap are outside the floor (the service takes another path for them;
// the bench seeds none): they answer 409 like a shortage.
// Used by bench/floor-server.js (with $1..$5) and by pgbench (with its variables).
'use strict';

// pgbench reads `:name` as a variable even inside a string literal, so the colons are kept out of its sight.
const SCOPE = `('reserve' || ':' || 'anonymous')`;
const ISO_FORMAT = `('YYYY-MM-DD"T"HH24' || ':' || 'MI' || ':' || 'SS.MS"Z"')`;
const iso = (timestamp) => `to_char(${timestamp} AT TIME ZONE 'UTC', ${ISO_FORMAT})`;
const TTL_SECONDS = 3600;

/** `p`: SQL expressions for sku, userId, quantity, key and fingerprint. */
function oneStatement(p) {
  return `
WITH input AS (
  SELECT ${p.sku}::varchar AS sku, ${p.userId}::varchar AS user_id, ${p.quantity}::integer AS quantity, ${p.key}::varchar AS key,
    ${p.fingerprint}::varchar AS fingerprint, gen_random_uuid() AS id, now() AS at, now() + interval '${TTL_SECONDS} seconds' AS expires_at
), stock AS (
  UPDATE inventory_items i
  SET available_quantity = i.available_quantity - input.quantity, reserved_quantity = i.reserved_quantity + input.quantity,
    updated_at = input.at
  FROM input
  WHERE i.sku = input.sku AND i.available_quantity >= input.quantity AND i.max_per_customer IS NULL
  RETURNING i.*
), hold AS (
  INSERT INTO reservations (id, user_id, status, expires_at, client_id, idempotency_key, created_at)
  SELECT input.id, input.user_id, 'RESERVED', input.expires_at, 'anonymous', input.key, input.at FROM input, stock
  RETURNING id
), line AS (
  INSERT INTO reservation_lines (reservation_id, sku, quantity) SELECT hold.id, stock.sku, input.quantity FROM hold, stock, input
), move AS (
  INSERT INTO stock_movements (sku, type, available_delta, reserved_delta, sold_delta, total_delta, reservation_id, at)
  SELECT stock.sku, 'reserved', -input.quantity, input.quantity, 0, 0, hold.id, input.at FROM stock, hold, input
  RETURNING id
), event AS (
  INSERT INTO outbox_events (type, ordering_key, payload, created_at)
  SELECT e.type, e.ordering_key,
    jsonb_build_object('id', gen_random_uuid(), 'type', e.type, 'timestamp', ${iso('input.at')}, 'data', e.data), input.at
  FROM input, (
    SELECT 0 AS n, 'reservation.created' AS type, 'reservation:' || input.id AS ordering_key, true AS fires,
      jsonb_build_object('reservationId', input.id, 'userId', input.user_id, 'status', 'RESERVED',
        'items', jsonb_build_array(jsonb_build_object('sku', stock.sku, 'quantity', input.quantity)),
        'expiresAt', ${iso('input.expires_at')}, 'idempotencyKey', input.key, 'movementId', move.id) AS data
    FROM input, stock, move
    UNION ALL
    SELECT c.n, c.type, 'sku:' || stock.sku, c.fires,
      jsonb_build_object('sku', stock.sku, 'availableQuantity', stock.available_quantity, 'movementId', move.id)
    FROM input, stock, move
    CROSS JOIN LATERAL (VALUES
      (1, 'inventory.low_stock', stock.low_stock_threshold IS NOT NULL AND stock.available_quantity < stock.low_stock_threshold
        AND stock.available_quantity + input.quantity >= stock.low_stock_threshold),
      (2, 'inventory.out_of_stock', stock.available_quantity = 0)
    ) AS c(n, type, fires)
  ) e
  WHERE e.fires
  ORDER BY e.n
), outcome AS (
  SELECT
    CASE WHEN EXISTS (SELECT 1 FROM hold) THEN 201 WHEN item.available_quantity IS NULL THEN 404 ELSE 409 END AS status,
    CASE
      WHEN EXISTS (SELECT 1 FROM hold) THEN jsonb_build_object('success', true, 'message', 'Inventory reserved successfully',
        'data', jsonb_build_object('reservationId', input.id, 'sku', input.sku, 'userId', input.user_id, 'quantity', input.quantity,
          'items', jsonb_build_array(jsonb_build_object('sku', input.sku, 'quantity', input.quantity)), 'status', 'RESERVED',
          'expiresAt', ${iso('input.expires_at')}, 'secondsLeft', ${TTL_SECONDS}, 'idempotencyKey', input.key,
          'createdAt', ${iso('input.at')}, 'finishedAt', NULL))
      WHEN item.available_quantity IS NULL THEN jsonb_build_object('success', false, 'code', 'INVENTORY_NOT_FOUND',
        'message', 'Inventory item ''' || input.sku || ''' not found', 'details', jsonb_build_object('sku', input.sku))
      ELSE jsonb_build_object('success', false, 'code', 'INSUFFICIENT_STOCK',
        'message', 'Insufficient stock for ''' || input.sku || '''',
        'details', jsonb_build_object('sku', input.sku, 'requested', input.quantity, 'available', item.available_quantity))
    END AS body
  FROM input LEFT JOIN inventory_items item ON item.sku = input.sku
), claim AS (
  INSERT INTO idempotency_records (scope, key, fingerprint, token, lease_until, response_status, response_body, created_at, completed_at)
  SELECT ${SCOPE}, input.key, input.fingerprint, gen_random_uuid(), input.at, outcome.status, outcome.body, input.at, input.at
  FROM input, outcome
  RETURNING response_status, response_body
)
SELECT response_status AS status, response_body AS body FROM claim`;
}

/** pgbench: each command on one line; a new key per transaction, one unit of the SKU `skuExpression` names. */
function script(skuExpression) {
  const statement = oneStatement({
    sku: skuExpression,
    userId: `'bench-user'`,
    quantity: '1',
    key: `('o' || :client_id::text || '-' || :k::text)`,
    fingerprint: `repeat('f', 64)`,
  });
  return `\\set k random(1, 9000000000000000)
\\set n random(0, 999)
${statement.trim().replace(/\s*\n\s*/g, ' ')};
`;
}

module.exports = {
  SCOPE,
  oneStatement,
  hot: (sku) => script(`'${sku}'`),
  spread: (prefix) => script(`('${prefix}' || :n)`),
};
