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
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-database';
import { DRIZZLE_HANDLE } from './drizzle.tokens';
import { PG_UNIQUE_VIOLATION, pgError, translatePgError } from './pg-errors';
import { InventoryRow, inventoryItems as t } from './schema';

/** A delete that loses a race against a release of the last reserved unit is retried this many times. */
const DELETE_ATTEMPTS = 3;

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

  async insert(item: NewInventoryItem): Promise<InventoryItem> {
    try {
      const [row] = await this.db.insert(t).values(item).returning();
      return toInventoryItem(row);
    } catch (error) {
      if (pgError(error)?.code === PG_UNIQUE_VIOLATION) throw new DuplicateSkuError(item.sku);
      translatePgError(error);
    }
  }

  async insertManySkippingExisting(items: NewInventoryItem[]): Promise<InventoryBulkInsertResult> {
    if (items.length === 0) return { created: [], existingSkus: [] };
    const rows = await this.db
      .insert(t)
      .values(items)
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

  async updateIfRulesHold(sku: string, changes: InventoryChanges): Promise<InventoryUpdateResult> {
    const total: SQL | typeof t.totalQuantity =
      changes.totalQuantity === undefined ? t.totalQuantity : sql`${changes.totalQuantity}::integer`;
    const available: SQL | typeof t.availableQuantity =
      changes.availableQuantity === undefined ? t.availableQuantity : sql`${changes.availableQuantity}::integer`;
    const [row] = await this.db
      .update(t)
      .set({ ...definedChanges(changes), updatedAt: sql`now()` })
      .where(
        and(
          eq(t.sku, sku),
          sql`${available}::bigint + ${t.reservedQuantity} + ${t.soldQuantity} <= ${total}`,
        ),
      )
      .returning()
      .catch(translatePgError);
    if (row) return { status: 'updated', item: toInventoryItem(row) };
    const current = await this.findBySku(sku);
    return current ? { status: 'rule_broken', current } : { status: 'not_found' };
  }

  async deleteIfNoActiveReservations(sku: string): Promise<InventoryDeleteResult> {
    for (let attempt = 1; ; attempt++) {
      const deleted = await this.db
        .delete(t)
        .where(and(eq(t.sku, sku), eq(t.reservedQuantity, 0)))
        .returning({ sku: t.sku });
      if (deleted.length > 0) return { status: 'deleted' };
      const current = await this.findBySku(sku);
      if (!current) return { status: 'not_found' };
      if (current.reservedQuantity > 0 || attempt >= DELETE_ATTEMPTS) {
        return { status: 'has_active_reservations', reservedQuantity: current.reservedQuantity };
      }
    }
  }
}

function prepareFindBySku(handle: DrizzleHandle) {
  return handle.db.select().from(t).where(eq(t.sku, sql.placeholder('sku'))).limit(1).prepare('inventory_find_by_sku');
}

function definedChanges(changes: InventoryChanges): Partial<Pick<InventoryRow, 'productName' | 'totalQuantity' | 'availableQuantity'>> {
  const set: Partial<Pick<InventoryRow, 'productName' | 'totalQuantity' | 'availableQuantity'>> = {};
  if (changes.productName !== undefined) set.productName = changes.productName;
  if (changes.totalQuantity !== undefined) set.totalQuantity = changes.totalQuantity;
  if (changes.availableQuantity !== undefined) set.availableQuantity = changes.availableQuantity;
  return set;
}

function toInventoryItem(row: InventoryRow): InventoryItem {
  return {
    sku: row.sku,
    productName: row.productName,
    totalQuantity: row.totalQuantity,
    availableQuantity: row.availableQuantity,
    reservedQuantity: row.reservedQuantity,
    soldQuantity: row.soldQuantity,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
