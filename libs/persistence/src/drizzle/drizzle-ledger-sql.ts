import { ChangeContext, EventType, MovementType } from '@app/core';
import { sql, SQL } from 'drizzle-orm';

/**
 * SQL fragments that append stock movements and outbox events inside the statement that changes the stock, so neither
 * can exist without the other. Events are built in SQL in exactly the JSON shapes of holdSnapshot / itemSnapshot /
 * movementSnapshot (libs/core/src/events/domain-event.ts). Aliases are trusted identifiers of the calling statement.
 */

/** A timestamptz as Date.toISOString() writes it: UTC, milliseconds, `Z`. */
export function isoText(column: SQL): SQL {
  return sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The counters of an item as a snapshot shows them; by default the row's own. */
export interface CounterColumns {
  total: SQL;
  available: SQL;
  reserved: SQL;
  sold: SQL;
}

/** itemSnapshot of the inventory_items row `alias`, with `counters` instead of the row's counters when given. */
export function itemJson(alias: string, counters?: CounterColumns): SQL {
  const i = sql.raw(alias);
  const c = counters ?? {
    total: sql`${i}.total_quantity`,
    available: sql`${i}.available_quantity`,
    reserved: sql`${i}.reserved_quantity`,
    sold: sql`${i}.sold_quantity`,
  };
  return sql`jsonb_build_object(
    'sku', ${i}.sku, 'productName', ${i}.product_name,
    'totalQuantity', ${c.total}, 'availableQuantity', ${c.available}, 'reservedQuantity', ${c.reserved}, 'soldQuantity', ${c.sold},
    'maxPerCustomer', ${i}.max_per_customer, 'lowStockThreshold', ${i}.low_stock_threshold, 'stockBuckets', ${i}.stock_buckets,
    'createdAt', ${isoText(sql`${i}.created_at`)}, 'updatedAt', ${isoText(sql`${i}.updated_at`)})`;
}

/** movementSnapshot of the stock_movements row `alias`. */
export function movementJson(alias: string): SQL {
  const m = sql.raw(alias);
  return sql`jsonb_build_object(
    'id', ${m}.id, 'sku', ${m}.sku, 'type', ${m}.type,
    'availableDelta', ${m}.available_delta, 'reservedDelta', ${m}.reserved_delta,
    'soldDelta', ${m}.sold_delta, 'totalDelta', ${m}.total_delta,
    'reservationId', ${m}.reservation_id, 'reason', ${m}.reason, 'actor', ${m}.actor, 'at', ${isoText(sql`${m}.at`)})`;
}

/** holdSnapshot of the reservations row `alias` with `items` (a JSON array of {sku, quantity} in SKU byte order). */
export function holdJson(alias: string, items: SQL): SQL {
  const r = sql.raw(alias);
  return sql`jsonb_build_object(
    'reservationId', ${r}.id, 'userId', ${r}.user_id, 'status', ${r}.status, 'items', ${items},
    'expiresAt', ${isoText(sql`${r}.expires_at`)}, 'idempotencyKey', ${r}.idempotency_key,
    'createdAt', ${isoText(sql`${r}.created_at`)}, 'finishedAt', ${isoText(sql`${r}.finished_at`)})`;
}

/** The movements of the CTE `moves` (of hold `reservation` when given) as a JSON array in SKU byte order. */
export function movementsJson(moves: string, reservation?: SQL): SQL {
  const where = reservation ? sql`WHERE m.reservation_id = ${reservation}` : sql``;
  return sql`COALESCE((SELECT jsonb_agg(${movementJson('m')} ORDER BY m.sku COLLATE "C") FROM ${sql.raw(moves)} m ${where}), '[]'::jsonb)`;
}

/** Lines {sku, quantity} of rows `alias` (columns sku, quantity) as a JSON array in SKU byte order. */
export function linesJson(from: SQL): SQL {
  return sql`(SELECT jsonb_agg(jsonb_build_object('sku', x.sku, 'quantity', x.quantity) ORDER BY x.sku COLLATE "C") FROM ${from} x)`;
}

/** Who and why, as the movement columns reason and actor. */
export function contextValues(context: ChangeContext | undefined): { reason: SQL; actor: SQL } {
  return { reason: sql`${context?.reason ?? null}::text`, actor: sql`${context?.actor ?? null}::text` };
}

/** The signs of a hold movement's deltas per unit of the line's quantity. */
export const HOLD_MOVES = {
  reserved: { available: -1, reserved: 1, sold: 0 },
  released: { available: 1, reserved: -1, sold: 0 },
  cancelled: { available: 1, reserved: -1, sold: 0 },
  expired: { available: 1, reserved: -1, sold: 0 },
  confirmed: { available: 0, reserved: -1, sold: 1 },
} as const satisfies Partial<Record<MovementType, { available: number; reserved: number; sold: number }>>;
export type HoldMoveType = keyof typeof HOLD_MOVES;

/**
 * INSERT of one movement per row of `source` (columns reservation_id, sku, quantity), in `order`, with the deltas of
 * `type`; RETURNING every column. Ids are drawn in `order`, while the SKUs' rows are locked.
 */
export function insertHoldMoves(type: HoldMoveType, source: SQL, order: SQL, at: string, context: { reason: SQL; actor: SQL }): SQL {
  const signs = HOLD_MOVES[type];
  const times = (sign: number) => sql.raw(`(${sign} * s.quantity)::integer`);
  return sql`
    INSERT INTO stock_movements (sku, type, available_delta, reserved_delta, sold_delta, total_delta, reservation_id, reason, actor, at)
    SELECT s.sku, ${sql.raw(`'${type}'`)}, ${times(signs.available)}, ${times(signs.reserved)}, ${times(signs.sold)}, 0,
           s.reservation_id, ${context.reason}, ${context.actor}, ${at}::timestamptz
    FROM ${source} s
    ORDER BY ${order}
    RETURNING *`;
}

/**
 * The INSERT of a change's events into the outbox. `rows` yields (type, ordering_key, data) already in order (an ORDER
 * BY of its own); each event gets a random id, and the change's time as its timestamp.
 */
export function insertEvents(rows: SQL, at: string): SQL {
  return sql`
    INSERT INTO outbox_events (type, ordering_key, payload, created_at)
    SELECT e.type, e.ordering_key,
           jsonb_build_object('id', gen_random_uuid(), 'type', e.type, 'timestamp', ${at}::text, 'data', e.data),
           ${at}::timestamptz
    FROM (${rows}) e`;
}

/**
 * Event rows (sort_group, sort_kind, sku, n, type, ordering_key, data) of threshold crossings: one per crossing of one
 * movement of the CTE `moves`, judged on the available units before and after it (the item's counters, `items` being
 * the rows after the whole statement, minus the deltas of the SKU's later movements of this statement). sort_group is
 * the first movement id of the movement's hold (or of the statement), so the crossings follow their main event.
 */
export function thresholdEventRows(moves: string, items: string): SQL {
  const after = (column: string, delta: string) =>
    sql.raw(
      `i.${column} - COALESCE(sum(m.${delta}) OVER (PARTITION BY m.sku ORDER BY m.id ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING), 0)`,
    );
  return sql`
    SELECT x.sort_group, 1 AS sort_kind, x.sku, c.n, c.type, 'sku:' || x.sku AS ordering_key,
           jsonb_build_object('item', ${itemJson('i', {
             total: sql`x.after_total`,
             available: sql`x.after_available`,
             reserved: sql`x.after_reserved`,
             sold: sql`x.after_sold`,
           })}, 'movement', ${movementJson('m')}) AS data
    FROM (
      SELECT m.id, m.sku, min(m.id) OVER (PARTITION BY m.reservation_id) AS sort_group,
             ${after('available_quantity', 'available_delta')} AS after_available,
             ${after('reserved_quantity', 'reserved_delta')} AS after_reserved,
             ${after('sold_quantity', 'sold_delta')} AS after_sold,
             ${after('total_quantity', 'total_delta')} AS after_total
      FROM ${sql.raw(moves)} m JOIN ${sql.raw(items)} i ON i.sku = m.sku
    ) x
    JOIN ${sql.raw(moves)} m ON m.id = x.id
    JOIN ${sql.raw(items)} i ON i.sku = x.sku
    CROSS JOIN LATERAL (VALUES
      (1, 'inventory.low_stock', i.low_stock_threshold IS NOT NULL AND x.after_available < i.low_stock_threshold
                                 AND x.after_available - m.available_delta >= i.low_stock_threshold),
      (2, 'inventory.out_of_stock', x.after_available = 0 AND x.after_available - m.available_delta > 0),
      (3, 'inventory.back_in_stock', x.after_available > 0 AND x.after_available - m.available_delta = 0)
    ) AS c(n, type, fires)
    WHERE c.fires`;
}

/** One main event row in the shape of thresholdEventRows, first of its sort group. */
export function mainEventRow(type: EventType, orderingKey: SQL, data: SQL, sortGroup: SQL, from: SQL): SQL {
  return sql`SELECT ${sortGroup} AS sort_group, 0 AS sort_kind, ''::varchar AS sku, 0 AS n, ${sql.raw(`'${type}'`)} AS type,
                    ${orderingKey} AS ordering_key, ${data} AS data ${from}`;
}

/** A change's main events followed by the threshold crossings of its movements, in event order. */
export function eventsInOrder(main: SQL, moves: string, items: string): SQL {
  return sql`SELECT * FROM (${main} UNION ALL ${thresholdEventRows(moves, items)}) u
    ORDER BY u.sort_group, u.sort_kind, u.sku COLLATE "C", u.n`;
}
