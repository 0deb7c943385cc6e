import {
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
import { and, asc, desc, eq, sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { toInventoryChanges, toInventoryItem, toInventoryRow } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';
import { translatePgError } from './pg-errors';
import { inventoryItems as t } from './schema';

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

  async insert(item: NewInventoryItem, now: Date): Promise<InventoryItem> {
    const [row] = await this.db
      .insert(t)
      .values(toInventoryRow(item, now))
      .returning()
      .catch((error: unknown) => translatePgError(error, () => new DuplicateSkuError(item.sku)));
    return toInventoryItem(row);
  }

  async insertManySkippingExisting(items: NewInventoryItem[], now: Date): Promise<InventoryBulkInsertResult> {
    if (items.length === 0) return { created: [], existingSkus: [] };
    const rows = await this.db
      .insert(t)
      .values(items.map((item) => toInventoryRow(item, now)))
      .onConflictDoNothing({ target: t.sku })
      .returning()
      .catch(translatePgError);
    const inserted = new Set(rows.map((row) => row.sku));
    return {
      created: rows.map(toInventoryItem),
      existingSkus: items.map((item) => item.sku).filter((sku) => !inserted.has(sku)),
    };
  }

  async findBySku(sku: string): Promise<InventoryItem | null> {
    const [row] = await this.bySku.execute({ sku });
    return row ? toInventoryItem(row) : null;
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
      this.db.$count(t),
    ]);
    return { items: rows.map(toInventoryItem), total };
  }

  async updateIfRulesHold(sku: string, changes: InventoryChanges, now: Date): Promise<InventoryUpdateResult> {
    const total: SQL | typeof t.totalQuantity =
      changes.totalQuantity === undefined ? t.totalQuantity : sql`${changes.totalQuantity}::integer`;
    const available: SQL | typeof t.availableQuantity =
      changes.availableQuantity === undefined ? t.availableQuantity : sql`${changes.availableQuantity}::integer`;
    const [row] = await this.db
      .update(t)
      .set(toInventoryChanges(changes, now))
      .where(and(eq(t.sku, sku), sql`${available}::bigint + ${t.reservedQuantity} + ${t.soldQuantity} <= ${total}`))
      .returning()
      .catch(translatePgError);
    if (row) return { status: 'updated', item: toInventoryItem(row) };
    return outcomeOfRefusedUpdate(await this.findBySku(sku), changes);
  }

  /**
   * One statement: the SKU goes only with nothing reserved, and with it every (finished) hold that has a line of it,
   * whole, so no hold is left missing a line; their lines go by cascade. The holds are read from the statement's
   * snapshot: a hold created after it holds units, so the SKU is not deleted and neither is anything else.
   */
  async deleteIfNoActiveReservations(sku: string): Promise<InventoryDeleteResult> {
    const deleted = await this.handle.rows<{ sku: string }>(sql`
      WITH item AS (
        DELETE FROM inventory_items WHERE sku = ${sku} AND reserved_quantity = 0
        RETURNING sku
      ), holds AS (
        DELETE FROM reservations r USING reservation_lines l, item
        WHERE l.sku = item.sku AND r.id = l.reservation_id
        RETURNING r.id
      )
      SELECT sku FROM item`);
    if (deleted.length > 0) return { status: 'deleted' };
    return outcomeOfRefusedDelete(await this.findBySku(sku));
  }
}

function prepareFindBySku(handle: DrizzleHandle) {
  return handle.db
    .select()
    .from(t)
    .where(eq(t.sku, sql.placeholder('sku')))
    .limit(1)
    .prepare('inventory_find_by_sku');
}
