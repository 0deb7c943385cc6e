import { ANONYMOUS_CLIENT_ID, ChangeContext, HoldLine, NewReservation, ResponseRecord } from '@app/core';
import { sql, SQL } from 'drizzle-orm';
import {
  contextValues,
  eventsInOrder,
  holdJson,
  HoldMoveType,
  insertEvents,
  insertHoldMoves,
  linesJson,
  mainEventRow,
  movementsJson,
} from './drizzle-ledger-sql';
import { isoTimestamp } from './drizzle-mappers';
import { recordResponse } from './drizzle-response-record';

/**
 * The statements that move the stock of a hold's lines. Each locks the inventory rows it changes in SKU byte order
 * (`ORDER BY sku COLLATE "C" ... FOR UPDATE` in a MATERIALIZED CTE) BEFORE its UPDATE touches any of them, so two
 * statements sharing SKUs wait for each other in one global order and never deadlock:
 * - PostgreSQL puts the LockRows node above the Sort (the SELECT docs: "ORDER BY is applied first" under a locking
 *   clause), so rows are locked one by one in sort order. MATERIALIZED keeps the CTE from being inlined into its reader.
 * - The UPDATE reads the lock CTE in a subquery with no column of its own tables (`(SELECT ...) > 0`): the planner makes
 *   that a one-time filter (gating Result) evaluated before its first row is fetched, so every lock is held before the
 *   first row changes, and the UPDATE then waits for no one.
 * - Under READ COMMITTED a FOR UPDATE row that a committed transaction changed after the statement's snapshot is
 *   re-read at its latest version (EvalPlanQual), so values read from the lock CTE are the latest committed ones; the
 *   UPDATE of a row we hold locked follows the same chain to that version.
 * Lines are read with FOR UPDATE (or FOR SHARE) for the same reason: a release that committed while this statement
 * waited for the hold's row changed them after its snapshot, and a plain read would move the old quantities.
 * Stock buckets (migration 0009): a SKU with stock_buckets > 1 keeps its counters in inventory_stock_buckets rows (its
 * inventory_items row's are 0); the plpgsql functions there move them, each query of theirs reading the latest rows.
 * Item rows are locked FOR NO KEY UPDATE: a bucket reserve holding its bucket inserts a line whose foreign key takes
 * FOR KEY SHARE on the item row, which FOR UPDATE would block while waiting for that bucket (a deadlock).
 * Each statement that moves stock also appends its movements (one per hold and SKU, ids drawn under the SKUs' locks)
 * and writes its events (drizzle-ledger-sql), from the rows its own CTEs returned: never one without the other.
 */

/** A hold's lines as a JSON array of {sku, quantity} in SKU byte order (the `items` of ReservationSqlRow). */
export function holdItems(reservation: SQL): SQL {
  return sql`(SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity) ORDER BY l.sku COLLATE "C")
              FROM reservation_lines l WHERE l.reservation_id = ${reservation})`;
}

/** The SKUs and quantities of lines as two array parameters (one bound value each, whatever the number of lines). */
export function lineArrays(lines: readonly HoldLine[]): { skus: SQL; quantities: SQL } {
  return {
    skus: sql`${sql.param(lines.map((line) => line.sku))}::text[]`,
    quantities: sql`${sql.param(lines.map((line) => line.quantity))}::integer[]`,
  };
}

/**
 * One line, no cap: the guarded stock UPDATE, the hold and its line as CTEs of one statement (prepared; as cheap as the
 * single-SKU reserve was: one row lock, one conditional write). A bucketed SKU's row has no available units, so the
 * UPDATE skips it (no lock) and bucketReserve takes them from a bucket instead. Returns the hold's row, or none.
 */
export function reserveOneLine(hold: NewReservation, record?: ResponseRecord): SQL {
  const [line] = hold.items;
  const at = isoTimestamp(hold.createdAt);
  return sql`
    WITH item_stock AS (
      UPDATE inventory_items
      SET available_quantity = available_quantity - ${line.quantity}::integer,
          reserved_quantity = reserved_quantity + ${line.quantity}::integer,
          updated_at = ${at}::timestamptz
      WHERE sku = ${line.sku} AND available_quantity >= ${line.quantity}::integer AND max_per_customer IS NULL
      RETURNING inventory_items.*
    ), ${bucketReserve(line, sql`item_stock`)}, stock AS (
      SELECT * FROM item_stock UNION ALL SELECT * FROM bucket_stock
    ), hold AS (
      ${insertHold(hold, sql`FROM stock`)}
    ), lines AS (
      INSERT INTO reservation_lines (reservation_id, sku, quantity)
      SELECT hold.id, stock.sku, ${line.quantity}::integer FROM hold, stock
      RETURNING reservation_id, sku, quantity
    ), ${holdCreated(hold, record)}
    SELECT * FROM hold`;
}

/**
 * CTE `bucket_stock`: when `itemStock` moved nothing and the line's SKU is bucketed and uncapped, inventory_bucket_reserve
 * (one unlocked bucket, else every bucket under the SKU's locks) and the SKU's levels after it; else no row, and for a
 * one-row SKU no work at all (a one-time filter, false before the item row is read).
 */
function bucketReserve(line: HoldLine, itemStock: SQL): SQL {
  return sql`bucket_stock AS MATERIALIZED (
      SELECT b.* FROM inventory_items i CROSS JOIN LATERAL inventory_bucket_reserve(i.sku, ${line.quantity}::integer) b
      WHERE NOT EXISTS (SELECT 1 FROM ${itemStock}) AND i.sku = ${line.sku} AND i.stock_buckets > 1 AND i.max_per_customer IS NULL
    )`;
}

/**
 * A cart, no cap, in ONE statement: lock every line's SKU row in SKU byte order, check every line against the locked
 * (latest) values, move all the stock only if every line fits, insert the hold only if every line moved, then its
 * lines. All or nothing; a duplicate key aborts the whole statement. A SKU with a cap of its own is not locked, so
 * such a cart moves nothing here and is rerouted to the capped path, and so is a cart with a bucketed SKU. Returns the
 * hold's row, or none.
 */
export function reserveCart(hold: NewReservation, record?: ResponseRecord): SQL {
  const { skus, quantities } = lineArrays(hold.items);
  const at = isoTimestamp(hold.createdAt);
  return sql`
    WITH wanted AS (
      SELECT w.sku, w.quantity FROM unnest(${skus}, ${quantities}) AS w(sku, quantity)
    ), locked AS MATERIALIZED (
      SELECT i.sku, i.available_quantity FROM inventory_items i
      WHERE i.sku = ANY(${skus}) AND i.max_per_customer IS NULL AND i.stock_buckets = 1
      ORDER BY i.sku COLLATE "C"
      FOR NO KEY UPDATE
    ), enough AS (
      SELECT count(*) = cardinality(${skus}) AS every_line
      FROM locked JOIN wanted ON wanted.sku = locked.sku
      WHERE locked.available_quantity >= wanted.quantity
    ), stock AS (
      ${moveReserved(at, sql`(SELECT every_line FROM enough)`, sql`inventory_items.*`)}
    ), hold AS (
      ${insertHold(hold, sql`WHERE (SELECT count(*) FROM stock) = cardinality(${skus})`)}
    ), lines AS (
      INSERT INTO reservation_lines (reservation_id, sku, quantity)
      SELECT hold.id, wanted.sku, wanted.quantity FROM hold, wanted
      RETURNING reservation_id, sku, quantity
    ), ${holdCreated(hold, record)}
    SELECT * FROM hold`;
}

/**
 * The capped path's first statement: every line's stock moved (SKU-ordered locks, all or nothing, as reserveCart but
 * capped and bucketed SKUs included), returning each SKU's cap (its own, else `defaultCap`). A bucketed line takes
 * across its SKU's buckets (inventory_bucket_take, under the item row locks) and may still find them short: fewer rows
 * than lines means the caller must roll back what did move.
 */
export function reserveCartStock(hold: NewReservation, defaultCap: number | null): SQL {
  const { skus, quantities } = lineArrays(hold.items);
  const cap = (row: string) => sql`COALESCE(${sql.raw(row)}.max_per_customer, ${defaultCap}::integer)`;
  return sql`
    WITH wanted AS (
      SELECT w.sku, w.quantity FROM unnest(${skus}, ${quantities}) AS w(sku, quantity)
    ), locked AS MATERIALIZED (
      SELECT i.sku, i.available_quantity, i.stock_buckets, i.max_per_customer FROM inventory_items i
      WHERE i.sku = ANY(${skus})
      ORDER BY i.sku COLLATE "C"
      FOR NO KEY UPDATE
    ), enough AS (
      SELECT count(*) = cardinality(${skus}) AS every_line
      FROM locked JOIN wanted ON wanted.sku = locked.sku
      WHERE locked.stock_buckets > 1 OR locked.available_quantity >= wanted.quantity
    ), taken AS MATERIALIZED (
      SELECT l.sku, ${cap('l')} AS cap
      FROM locked l JOIN wanted w ON w.sku = l.sku
      WHERE l.stock_buckets > 1 AND (SELECT every_line FROM enough) AND inventory_bucket_take(l.sku, w.quantity)
    ), moved AS (
      ${moveReserved(
        isoTimestamp(hold.createdAt),
        sql`inventory_items.stock_buckets = 1 AND (SELECT every_line FROM enough) AND (SELECT count(*) FROM taken) >= 0`,
        sql`inventory_items.sku, ${cap('inventory_items')} AS cap`,
      )}
    )
    SELECT * FROM moved UNION ALL SELECT * FROM taken`;
}

/**
 * The capped path's second statement (a new snapshot, taken after the first one's locks were granted): sums the
 * customer's active units of each capped SKU (their RESERVED holds through reservations_user_active_idx, then those
 * holds' lines by primary key) and inserts the hold and its lines only if every line fits under its cap, with their
 * movements and events (the first statement's stock changes are this transaction's: it rolls back on a refusal).
 * One row: the hold's columns (null when refused) and the first line over its cap (SKU byte order), if any.
 */
export function insertHoldUnderCaps(hold: NewReservation, caps: ReadonlyMap<string, number | null>, record?: ResponseRecord): SQL {
  const { skus, quantities } = lineArrays(hold.items);
  const capList = sql`${sql.param(hold.items.map((line) => caps.get(line.sku) ?? null))}::integer[]`;
  const at = isoTimestamp(hold.createdAt);
  return sql`
    WITH wanted AS (
      SELECT w.sku, w.quantity, w.cap FROM unnest(${skus}, ${quantities}, ${capList}) AS w(sku, quantity, cap)
    ), mine AS (
      SELECT l.sku, sum(l.quantity)::integer AS units
      FROM reservations r JOIN reservation_lines l ON l.reservation_id = r.id AND l.sku = ANY(${skus})
      WHERE r.user_id = ${hold.userId} AND r.status = 'RESERVED' AND r.expires_at > ${at}::timestamptz
      GROUP BY l.sku
    ), over AS (
      SELECT wanted.sku, wanted.cap, COALESCE(mine.units, 0)::integer AS held
      FROM wanted LEFT JOIN mine ON mine.sku = wanted.sku
      WHERE wanted.cap IS NOT NULL AND COALESCE(mine.units, 0) + wanted.quantity > wanted.cap
      ORDER BY wanted.sku COLLATE "C"
      LIMIT 1
    ), hold AS (
      ${insertHold(hold, sql`WHERE NOT EXISTS (SELECT 1 FROM over)`)}
    ), lines AS (
      INSERT INTO reservation_lines (reservation_id, sku, quantity)
      SELECT hold.id, wanted.sku, wanted.quantity FROM hold, wanted
      RETURNING reservation_id, sku, quantity
    ), stock AS (
      SELECT i.* FROM inventory_levels i WHERE i.sku = ANY(${skus})
    ), ${holdCreated(hold, record)}
    SELECT hold.*, over.sku AS over_sku, over.cap AS over_cap, over.held AS over_held
    FROM (SELECT 1) AS one LEFT JOIN hold ON true LEFT JOIN over ON true`;
}

/**
 * Why a hold was refused, in one round trip: the hold of the same client and key, the unknown SKUs, every short line
 * (counters summed over buckets), whether a SKU has a cap of its own or buckets (`capped`: the capped path takes both),
 * and whether a due hold has a line of a short SKU (walked from the due-holds index, each due hold's lines probed by
 * primary key: never all the lines of a hot SKU).
 */
export function whyNotReserved(hold: NewReservation): SQL {
  const { skus, quantities } = lineArrays(hold.items);
  return sql`
    WITH found AS (
      SELECT w.sku, w.quantity, i.available_quantity AS available,
             i.max_per_customer IS NOT NULL OR i.stock_buckets > 1 AS capped
      FROM unnest(${skus}, ${quantities}) AS w(sku, quantity) LEFT JOIN inventory_levels i ON i.sku = w.sku
    ), short AS (
      SELECT sku, quantity, available FROM found WHERE available < quantity
    )
    SELECT (SELECT to_json(existing) FROM (
              SELECT r.*, ${holdItems(sql`r.id`)} AS items FROM reservations r
              WHERE r.client_id = ${hold.clientId} AND r.idempotency_key = ${hold.idempotencyKey}) AS existing) AS existing,
           (SELECT json_agg(sku ORDER BY sku COLLATE "C") FROM found WHERE available IS NULL) AS missing,
           (SELECT json_agg(json_build_object('sku', sku, 'requested', quantity, 'available', available) ORDER BY sku COLLATE "C")
            FROM short) AS shortages,
           EXISTS (SELECT 1 FROM found WHERE capped) AS capped,
           EXISTS (SELECT 1 FROM reservations r
                   WHERE r.status = 'RESERVED' AND r.expires_at <= ${isoTimestamp(hold.createdAt)}::timestamptz
                     AND EXISTS (SELECT 1 FROM reservation_lines l
                                 WHERE l.reservation_id = r.id AND l.sku = ANY(ARRAY(SELECT sku FROM short)))) AS due`;
}

/**
 * Moves a hold's stock when it leaves RESERVED: `held` is a CTE of the hold rows that just changed state (column `id`);
 * their lines (locked, latest) are summed per SKU and moved to `to` (heldUnitsMoved). Defines the CTEs `lines`
 * (reservation_id, sku, quantity), `returned` and `stock` (the SKUs' rows after the change, counters summed).
 */
export function returnLinesOf(held: SQL, at: string, to: HeldUnitsTo): SQL {
  return sql`
    lines AS MATERIALIZED (
      SELECT l.reservation_id, l.sku, l.quantity FROM reservation_lines l
      WHERE l.reservation_id = ANY(ARRAY(SELECT id FROM ${held}))
      FOR UPDATE OF l
    ), returned AS (
      SELECT sku, sum(quantity)::integer AS quantity FROM lines GROUP BY sku
    ), ${heldUnitsMoved('returned', to, at)}`;
}

/** Where reserved units go when they leave a hold. */
export type HeldUnitsTo = 'sold' | 'available';

/**
 * Moves reserved units (the CTE `units`: sku, quantity) to sold or back to available: every SKU's row is locked in SKU
 * byte order first (`locked`); a one-row SKU's row changes in `stock_rows`, a bucketed SKU's buckets in
 * inventory_bucket_return (its locks taken after the item row's; any buckets, reserved units being interchangeable).
 * `stock` is every SKU's row after the change with its counters summed (exact for the SKU's row and the buckets this
 * statement locked; see README, Flash sales).
 */
function heldUnitsMoved(units: string, to: HeldUnitsTo, at: string): SQL {
  const u = sql.raw(units);
  const rowUnits = sql`CASE WHEN inventory_items.stock_buckets = 1 THEN ${u}.quantity ELSE 0 END`;
  const reserved = sql`reserved_quantity = inventory_items.reserved_quantity - ${rowUnits}`;
  const change =
    to === 'sold'
      ? sql`${reserved}, sold_quantity = inventory_items.sold_quantity + ${rowUnits}`
      : sql`available_quantity = inventory_items.available_quantity + ${rowUnits}, ${reserved}`;
  return sql`locked AS MATERIALIZED (
      SELECT i.sku, i.stock_buckets FROM inventory_items i
      WHERE i.sku = ANY(ARRAY(SELECT sku FROM ${u}))
      ORDER BY i.sku COLLATE "C"
      FOR NO KEY UPDATE OF i
    ), bucket_levels AS MATERIALIZED (
      SELECT b.* FROM locked l JOIN ${u} ON ${u}.sku = l.sku
      CROSS JOIN LATERAL inventory_bucket_return(l.sku, ${u}.quantity, ${to === 'sold'}::boolean) b
      WHERE l.stock_buckets > 1
    ), stock_rows AS (
      UPDATE inventory_items SET ${change}, updated_at = ${at}::timestamptz
      FROM ${u}
      WHERE inventory_items.sku = ${u}.sku AND (SELECT count(*) FROM locked) > 0 AND (SELECT count(*) FROM bucket_levels) >= 0
      RETURNING inventory_items.*
    ), stock AS (
      SELECT s.sku, s.product_name, s.total_quantity,
             COALESCE(b.available_quantity, s.available_quantity) AS available_quantity,
             COALESCE(b.reserved_quantity, s.reserved_quantity) AS reserved_quantity,
             COALESCE(b.sold_quantity, s.sold_quantity) AS sold_quantity,
             s.created_at, s.updated_at, s.max_per_customer, s.low_stock_threshold, s.stock_buckets
      FROM stock_rows s LEFT JOIN bucket_levels b ON b.sku = s.sku
    )`;
}

/**
 * Takes released units off a hold's lines (a line at zero is deleted) and returns them to available, inventory rows
 * locked in SKU byte order. Run inside the transaction that holds the hold's row lock and checked the lines.
 * One row: how many lines and SKUs changed (each must equal the number of released lines).
 */
export function releaseLines(
  id: string,
  released: readonly HoldLine[],
  remaining: readonly HoldLine[],
  at: string,
  context: ChangeContext | undefined,
): SQL {
  const { skus, quantities } = lineArrays(released);
  const left = sql`${JSON.stringify(remaining.map((line) => ({ sku: line.sku, quantity: line.quantity })))}::jsonb`;
  return sql`
    WITH released AS (
      SELECT w.sku, w.quantity FROM unnest(${skus}, ${quantities}) AS w(sku, quantity)
    ), shrunk AS (
      UPDATE reservation_lines l SET quantity = l.quantity - released.quantity
      FROM released
      WHERE l.reservation_id = ${id}::uuid AND l.sku = released.sku AND l.quantity > released.quantity
      RETURNING l.sku
    ), dropped AS (
      DELETE FROM reservation_lines l USING released
      WHERE l.reservation_id = ${id}::uuid AND l.sku = released.sku AND l.quantity = released.quantity
      RETURNING l.sku
    ), ${heldUnitsMoved('released', 'available', at)}, hold AS (
      SELECT * FROM reservations WHERE id = ${id}::uuid
    ), moves AS (
      ${insertHoldMoves(
        'released',
        sql`(SELECT ${id}::uuid AS reservation_id, sku, quantity FROM released)`,
        sql`s.sku COLLATE "C"`,
        at,
        contextValues(context),
      )}
    ), events AS (
      ${insertEvents(
        eventsInOrder(
          mainEventRow(
            'reservation.released',
            sql`'reservation:' || hold.id`,
            sql`jsonb_build_object('reservation', ${holdJson('hold', left)}, 'movements', ${movementsJson('moves')})`,
            sql`(SELECT min(id) FROM moves)`,
            sql`FROM hold`,
          ),
          'moves',
          'stock',
        ),
        at,
      )}
    )
    SELECT ((SELECT count(*) FROM shrunk) + (SELECT count(*) FROM dropped))::integer AS lines,
           (SELECT count(*) FROM stock)::integer AS skus`;
}

/** The stock UPDATE of a cart (reads CTE `wanted`), applied only when `allowed`; RETURNING `returning`. */
function moveReserved(at: string, allowed: SQL, returning: SQL): SQL {
  return sql`
    UPDATE inventory_items
    SET available_quantity = inventory_items.available_quantity - wanted.quantity,
        reserved_quantity = inventory_items.reserved_quantity + wanted.quantity,
        updated_at = ${at}::timestamptz
    FROM wanted
    WHERE inventory_items.sku = wanted.sku AND ${allowed}
    RETURNING ${returning}`;
}

/**
 * The movements (`reserved`, one per line, actor: the hold's client unless anonymous) and events (reservation.created,
 * then the SKUs' threshold crossings) of a new hold: reads the CTEs `hold`, `lines` (inserted lines) and `stock` (the
 * inventory rows after the change). With `record`, also the request's idempotency record (CTE recorded).
 */
function holdCreated(hold: NewReservation, record?: ResponseRecord): SQL {
  const at = isoTimestamp(hold.createdAt);
  const actor = hold.clientId === ANONYMOUS_CLIENT_ID ? null : hold.clientId;
  return sql`moves AS (
      ${insertHoldMoves('reserved', sql`lines`, sql`s.sku COLLATE "C"`, at, contextValues({ actor }))}
    ), events AS (
      ${insertEvents(
        eventsInOrder(
          mainEventRow(
            'reservation.created',
            sql`'reservation:' || hold.id`,
            sql`jsonb_build_object('reservation', ${holdJson('hold', linesJson(sql`lines`))}, 'movements', ${movementsJson('moves')})`,
            sql`(SELECT min(id) FROM moves)`,
            sql`FROM hold`,
          ),
          'moves',
          'stock',
        ),
        at,
      )}
    )${record ? sql`, ${recordResponse(record, sql`FROM hold`)}` : sql``}`;
}

/**
 * The movements and events of holds leaving RESERVED (`type`: confirmed, cancelled or expired), one event per hold in
 * expiry order, each followed by its SKUs' threshold crossings: reads the CTEs `held` (the holds' rows after the
 * change), `lines` and `stock` (returnLinesOf).
 */
export function holdsEnded(type: Exclude<HoldMoveType, 'reserved' | 'released'>, at: string, context: ChangeContext | undefined): SQL {
  const items = linesJson(sql`(SELECT sku, quantity FROM lines WHERE lines.reservation_id = h.id)`);
  return sql`moves AS (
      ${insertHoldMoves(
        type,
        sql`(SELECT l.reservation_id, l.sku, l.quantity, h.expires_at FROM lines l JOIN held h ON h.id = l.reservation_id)`,
        sql`s.expires_at, s.reservation_id, s.sku COLLATE "C"`,
        at,
        contextValues(context),
      )}
    ), events AS (
      ${insertEvents(
        eventsInOrder(
          mainEventRow(
            `reservation.${type}`,
            sql`'reservation:' || h.id`,
            sql`jsonb_build_object('reservation', ${holdJson('h', items)},
                                   'movements', ${movementsJson('moves', sql`h.id`)})`,
            sql`(SELECT min(m.id) FROM moves m WHERE m.reservation_id = h.id)`,
            sql`FROM held h`,
          ),
          'moves',
          'stock',
        ),
        at,
      )}
    )`;
}

/** The event of an extension (no movement): reads the CTEs `held` (the hold after it) and `lines`. */
export function holdExtended(at: string): SQL {
  return sql`events AS (
      ${insertEvents(
        mainEventRow(
          'reservation.extended',
          sql`'reservation:' || held.id`,
          sql`jsonb_build_object('reservation', ${holdJson('held', linesJson(sql`lines`))}, 'movements', '[]'::jsonb)`,
          sql`0::bigint`,
          sql`FROM held`,
        ),
        at,
      )}
    )`;
}

/** INSERT of the hold's row, from `source` (a FROM or WHERE clause deciding whether it is inserted). */
function insertHold(hold: NewReservation, source: SQL): SQL {
  return sql`
    INSERT INTO reservations (id, user_id, status, expires_at, client_id, idempotency_key, created_at)
    SELECT ${hold.id}::uuid, ${hold.userId}, 'RESERVED', ${isoTimestamp(hold.expiresAt)}::timestamptz, ${hold.clientId},
           ${hold.idempotencyKey}, ${isoTimestamp(hold.createdAt)}::timestamptz
    ${source}
    RETURNING *`;
}
