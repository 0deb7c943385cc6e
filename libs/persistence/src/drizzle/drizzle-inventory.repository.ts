import {
  ChangeContext,
  DuplicateSkuError,
  InventoryBulkInsertResult,
  InventoryChanges,
  InventoryDeleteResult,
  InventoryItem,
  InventoryPage,
  InventoryPageQuery,
  InventoryRepository,
  InventoryUpdateResult,
  NewInventoryItem,
  outcomeOfRefusedDelete,
  outcomeOfRefusedUpdate,
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { asc, desc, eq, sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { contextValues, eventsInOrder, insertEvents, itemJson, mainEventRow, movementJson } from './drizzle-ledger-sql';
import { InventorySqlRow, isoTimestamp, toInventoryItem, toInventoryItemOfSql } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';
import { translatePgError } from './pg-errors';
import { inventoryItems, inventoryLevels as t } from './schema';

@Injectable()
export class DrizzleInventoryRepository extends InventoryRepository {
  /** The hottest read, prepared once: no query building per call, and a named server-side statement on PostgreSQL. */
  private readonly bySku: ReturnType<typeof prepareFindBySku>;

  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
    this.bySku = prepareFindBySku(handle);
  }

  private get db() {
    return this.handle.db;
  }

  /** One statement: the row, its `created` movement and its inventory.created event (then its buckets: insertSpread). */
  async insert(item: NewInventoryItem, now: Date, context?: ChangeContext): Promise<InventoryItem> {
    const [row] = await this.insertSpread([item], now, context, sql``).catch((error: unknown) =>
      translatePgError(error, () => new DuplicateSkuError(item.sku)),
    );
    return toInventoryItemOfSql(row);
  }

  async insertManySkippingExisting(items: NewInventoryItem[], now: Date, context?: ChangeContext): Promise<InventoryBulkInsertResult> {
    if (items.length === 0) return { created: [], existingSkus: [] };
    const rows = await this.insertSpread(items, now, context, sql`ON CONFLICT (sku) DO NOTHING`).catch(translatePgError);
    const inserted = new Map(rows.map((row) => [row.sku, toInventoryItemOfSql(row)]));
    return {
      created: items.flatMap((item) => inserted.get(item.sku) ?? []),
      existingSkus: items.map((item) => item.sku).filter((sku) => !inserted.has(sku)),
    };
  }

  /**
   * The INSERT alone when every item has one bucket; else a transaction that then spreads the new bucketed SKUs'
   * stock over their buckets. The rows returned carry the whole counters either way (item row + buckets = the same sums).
   */
  private insertSpread(items: readonly NewInventoryItem[], now: Date, context: ChangeContext | undefined, conflict: SQL) {
    const insert = insertItems(items, now, context, conflict);
    if (items.every((item) => (item.stockBuckets ?? 1) === 1)) return this.handle.rows<InventorySqlRow>(insert);
    return this.handle.transaction(async (rows) => {
      const inserted = await rows<InventorySqlRow>(insert);
      const bucketed = inserted.filter((row) => row.stock_buckets > 1).map((row) => row.sku);
      if (bucketed.length > 0) await rows(spreadAll(bucketed));
      return inserted;
    });
  }

  async findBySku(sku: string): Promise<InventoryItem | null> {
    const [row] = await this.bySku.execute({ sku });
    return row ? toInventoryItem(row) : null;
  }

  /** One statement: `sku = ANY($1)` on the primary key, every SKU in one array parameter. */
  async findMany(skus: readonly string[]): Promise<InventoryItem[]> {
    if (skus.length === 0) return [];
    const rows = await this.db
      .select()
      .from(t)
      .where(sql`${t.sku} = ANY(${sql.param([...skus])}::text[])`);
    return rows.map(toInventoryItem);
  }

  async findPage(query: InventoryPageQuery): Promise<InventoryPage> {
    const order = query.sortOrder === 'desc' ? desc : asc;
    // Byte order for text, so SKUs (case-sensitive) sort the same whatever the database's collation.
    const column = t[query.sortBy];
    const sortKey = column.dataType === 'string' ? sql`${column} COLLATE "C"` : column;
    const [rows, total] = await Promise.all([
      this.db
        .select()
        .from(t)
        .orderBy(order(sortKey), asc(sql`${t.sku} COLLATE "C"`))
        .limit(query.limit)
        .offset(query.offset),
      this.db.$count(inventoryItems),
    ]);
    return { items: rows.map(toInventoryItem), total };
  }

  /**
   * A short transaction: the row is locked first, then one statement changes it only if the stock rules hold, with its
   * `adjusted` movement when a counter changed, its inventory.updated event and the threshold crossings. (A lock taken in
   * the statement's own CTE let concurrent PUTs judge the guard against a stale copy: CHECK violations under load.)
   */
  async updateIfRulesHold(sku: string, changes: InventoryChanges, now: Date, context?: ChangeContext): Promise<InventoryUpdateResult> {
    const at = isoTimestamp(now);
    const total = changes.totalQuantity === undefined ? sql`b.total_quantity` : sql`${changes.totalQuantity}::integer`;
    const available = changes.availableQuantity === undefined ? sql`b.available_quantity` : sql`${changes.availableQuantity}::integer`;
    const who = contextValues(context);
    const [row] = await this.handle
      .transaction(async (rows) => {
        // The row lock first, in its own statement: the update below then reads the row as it is now (its snapshot is
        // taken after the lock was granted), so its guard and its movement's deltas use current values. A bucketed SKU's
        // counters are first gathered onto its row (its buckets locked too), changed there, then spread again.
        const [locked] = await rows<{ stock_buckets: number }>(lockItem(sku));
        const bucketed = (locked?.stock_buckets ?? 1) > 1 || (changes.stockBuckets ?? 1) > 1;
        if (bucketed) await rows(spread(sku, 1));
        const updated = await rows<InventorySqlRow>(
          sql`
      WITH before AS MATERIALIZED (
        SELECT * FROM inventory_items WHERE sku = ${sku}
      ), stock AS (
        UPDATE inventory_items SET ${sql.join(changedColumns(changes, at), sql`, `)}
        FROM before b
        WHERE inventory_items.sku = b.sku AND ${available}::bigint + b.reserved_quantity + b.sold_quantity <= ${total}
        RETURNING inventory_items.*, b.available_quantity AS before_available, b.total_quantity AS before_total
      ), moves AS (
        INSERT INTO stock_movements (sku, type, available_delta, reserved_delta, sold_delta, total_delta, reason, actor, at)
        SELECT s.sku, 'adjusted', s.available_quantity - s.before_available, 0, 0, s.total_quantity - s.before_total,
               ${who.reason}, ${who.actor}, ${at}::timestamptz
        FROM stock s
        WHERE s.available_quantity <> s.before_available OR s.total_quantity <> s.before_total
        RETURNING *
      ), events AS (
        ${insertEvents(
          eventsInOrder(
            mainEventRow(
              'inventory.updated',
              sql`'sku:' || s.sku`,
              sql`jsonb_build_object('item', ${itemJson('s')}, 'movement', (SELECT ${movementJson('m')} FROM moves m))`,
              sql`(SELECT min(id) FROM moves)`,
              sql`FROM stock s`,
            ),
            'moves',
            'stock',
          ),
          at,
        )}
      )
      SELECT * FROM stock`,
        );
        if (bucketed) await rows(spread(sku, null));
        return updated;
      })
      .catch(translatePgError);
    if (row) return { status: 'updated', item: toInventoryItemOfSql(row) };
    return outcomeOfRefusedUpdate(await this.findBySku(sku), changes);
  }

  /**
   * One statement: the SKU goes only with nothing reserved, and with it its lines of (finished) holds, by cascade; a
   * hold that had no other line goes whole. Holds of other SKUs keep their other lines, so their SKUs stay consistent.
   * The holds are read from the statement's snapshot: a hold created after it holds units, so nothing is deleted.
   * Its `deleted` movement takes every counter to 0; its inventory.deleted event carries the item as it was.
   */
  async deleteIfNoActiveReservations(sku: string, now: Date, context?: ChangeContext): Promise<InventoryDeleteResult> {
    const at = isoTimestamp(now);
    const who = contextValues(context);
    const deleted = await this.handle.transaction(async (rows) => {
      // A bucketed SKU's counters are gathered onto its row first (both locked), and spread again if it stays.
      const [locked] = await rows<{ stock_buckets: number }>(lockItem(sku));
      const bucketed = (locked?.stock_buckets ?? 1) > 1;
      if (bucketed) await rows(spread(sku, 1));
      const gone = await rows<{ sku: string }>(sql`
      WITH item AS (
        DELETE FROM inventory_items WHERE sku = ${sku} AND reserved_quantity = 0
        RETURNING *
      ), holds AS (
        DELETE FROM reservations r USING reservation_lines l, item
        WHERE l.sku = item.sku AND r.id = l.reservation_id
          AND NOT EXISTS (SELECT 1 FROM reservation_lines o WHERE o.reservation_id = r.id AND o.sku <> item.sku)
        RETURNING r.id
      ), moves AS (
        INSERT INTO stock_movements (sku, type, available_delta, reserved_delta, sold_delta, total_delta, reason, actor, at)
        SELECT sku, 'deleted', -available_quantity, -reserved_quantity, -sold_quantity, -total_quantity,
               ${who.reason}, ${who.actor}, ${at}::timestamptz
        FROM item
        RETURNING *
      ), events AS (
        ${insertEvents(
          mainEventRow(
            'inventory.deleted',
            sql`'sku:' || i.sku`,
            sql`jsonb_build_object('item', ${itemJson('i')}, 'movement', (SELECT ${movementJson('m')} FROM moves m))`,
            sql`0::bigint`,
            sql`FROM item i`,
          ),
          at,
        )}
      )
      SELECT sku FROM item`);
      if (gone.length === 0 && bucketed) await rows(spread(sku, null));
      return gone;
    });
    if (deleted.length > 0) return { status: 'deleted' };
    return outcomeOfRefusedDelete(await this.findBySku(sku));
  }
}

/**
 * INSERT of new items (SKU-unique, `conflict` deciding what a taken SKU does), each with its `created` movement and
 * its inventory.created event, in the order given; no threshold events (the created event tells the SKU's stock).
 */
function insertItems(items: readonly NewInventoryItem[], now: Date, context: ChangeContext | undefined, conflict: SQL): SQL {
  const at = isoTimestamp(now);
  const who = contextValues(context);
  const column = <T>(pick: (item: NewInventoryItem) => T, type: string) => sql`${sql.param(items.map(pick))}::${sql.raw(type)}[]`;
  return sql`
    WITH given AS (
      SELECT * FROM unnest(
        ${column((item) => item.sku, 'text')}, ${column((item) => item.productName, 'text')},
        ${column((item) => item.totalQuantity, 'integer')}, ${column((item) => item.availableQuantity, 'integer')},
        ${column((item) => item.maxPerCustomer ?? null, 'integer')}, ${column((item) => item.lowStockThreshold ?? null, 'integer')},
        ${column((item) => item.stockBuckets ?? 1, 'smallint')}
      ) WITH ORDINALITY AS g(sku, product_name, total_quantity, available_quantity, max_per_customer, low_stock_threshold,
                             stock_buckets, n)
    ), item AS (
      INSERT INTO inventory_items (sku, product_name, total_quantity, available_quantity, reserved_quantity, sold_quantity,
                                   max_per_customer, low_stock_threshold, stock_buckets, created_at, updated_at)
      SELECT sku, product_name, total_quantity, available_quantity, 0, 0, max_per_customer, low_stock_threshold,
             stock_buckets, ${at}::timestamptz, ${at}::timestamptz
      FROM given ORDER BY n
      ${conflict}
      RETURNING *
    ), moves AS (
      INSERT INTO stock_movements (sku, type, available_delta, reserved_delta, sold_delta, total_delta, reason, actor, at)
      SELECT i.sku, 'created', i.available_quantity, 0, 0, i.total_quantity, ${who.reason}, ${who.actor}, ${at}::timestamptz
      FROM item i JOIN given g ON g.sku = i.sku
      ORDER BY g.n
      RETURNING *
    ), events AS (
      ${insertEvents(
        sql`SELECT 'inventory.created' AS type, 'sku:' || i.sku AS ordering_key,
                   jsonb_build_object('item', ${itemJson('i')}, 'movement', ${movementJson('m')}) AS data
            FROM item i JOIN moves m ON m.sku = i.sku
            ORDER BY m.id`,
        at,
      )}
    )
    SELECT * FROM item`;
}

/** The SET list of an admin change: only the given fields, and updated_at. */
function changedColumns(changes: InventoryChanges, at: string): SQL[] {
  const set = [sql`updated_at = ${at}::timestamptz`];
  if (changes.productName !== undefined) set.push(sql`product_name = ${changes.productName}`);
  if (changes.totalQuantity !== undefined) set.push(sql`total_quantity = ${changes.totalQuantity}::integer`);
  if (changes.availableQuantity !== undefined) set.push(sql`available_quantity = ${changes.availableQuantity}::integer`);
  if (changes.maxPerCustomer !== undefined) set.push(sql`max_per_customer = ${changes.maxPerCustomer}::integer`);
  if (changes.lowStockThreshold !== undefined) set.push(sql`low_stock_threshold = ${changes.lowStockThreshold}::integer`);
  if (changes.stockBuckets !== undefined) set.push(sql`stock_buckets = ${changes.stockBuckets}::smallint`);
  return set;
}

/** The SKU's row lock, returning how many buckets it has. */
function lockItem(sku: string): SQL {
  return sql`SELECT stock_buckets FROM inventory_items WHERE sku = ${sku} FOR NO KEY UPDATE`;
}

/** Spreads the SKU's counters over `buckets` rows (null: its stock_buckets; 1: all onto its row). Its row must be locked. */
function spread(sku: string, buckets: number | null): SQL {
  return sql`SELECT inventory_spread(${sku}, ${buckets}::smallint)`;
}

/** Spreads new SKUs' stock over their stock_buckets, in SKU byte order (rows inserted by this transaction). */
function spreadAll(skus: readonly string[]): SQL {
  return sql`SELECT inventory_spread(s.sku, NULL) FROM unnest(${sql.param([...skus])}::text[]) AS s(sku) ORDER BY s.sku COLLATE "C"`;
}

function prepareFindBySku(handle: DrizzleHandle) {
  return handle.db
    .select()
    .from(t)
    .where(eq(t.sku, sql.placeholder('sku')))
    .limit(1)
    .prepare('inventory_find_by_sku');
}
