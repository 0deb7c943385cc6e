import { ChangeContext } from '../ledger/stock-movement';
import { InventoryChanges, InventoryItem, InventoryPage, InventoryPageQuery, NewInventoryItem, STOCK_BUCKETS_MAX } from './inventory-item';
import { applyStockChanges, brokenStockRule } from './stock-rules';

export type InventoryUpdateResult =
  | { status: 'updated'; item: InventoryItem }
  | { status: 'not_found' }
  /** The guarded write refused the change and the row as read afterwards breaks `rule`; `current` is that row. */
  | { status: 'rule_broken'; current: InventoryItem; rule: string }
  /** The guarded write refused the change, yet the row as read afterwards allows it: a concurrent writer changed it in between. */
  | { status: 'contended' };

export type InventoryDeleteResult =
  | { status: 'deleted' }
  | { status: 'not_found' }
  /** Units are held; `reservedQuantity` is always above zero. */
  | { status: 'has_active_reservations'; reservedQuantity: number }
  /** The guarded delete found units reserved, but they were released before the row was read again. */
  | { status: 'contended' };

export interface InventoryBulkInsertResult {
  created: InventoryItem[];
  /** SKUs that were not inserted because they already existed. */
  existingSkus: string[];
}

/**
 * Port for stock storage. Every method is one atomic, guarded operation in the adapter (no method reads and
 * then writes in two steps) and one attempt: a write that lost a race says so (`contended`), and the core
 * decides whether to try again. `now` is written as createdAt / updatedAt.
 * Every write that changes counters appends its stock movement (created / adjusted with `context.reason` / deleted,
 * `context.actor`) and writes its events (inventory.created / .updated / .deleted and the threshold crossings) in the
 * same statement or transaction; a change of other fields only writes `inventory.updated` (movement null).
 */
export abstract class InventoryRepository {
  /** The largest `stockBuckets` this backend stores (1: it keeps every SKU in one row or document). */
  readonly maxStockBuckets: number = STOCK_BUCKETS_MAX;

  /** Inserts a new item with reserved = sold = 0. Throws DuplicateSkuError when the SKU exists. */
  abstract insert(item: NewInventoryItem, now: Date, context?: ChangeContext): Promise<InventoryItem>;

  /** Inserts every item whose SKU is free, in one statement; reports the SKUs that already existed. */
  abstract insertManySkippingExisting(items: NewInventoryItem[], now: Date, context?: ChangeContext): Promise<InventoryBulkInsertResult>;

  abstract findBySku(sku: string): Promise<InventoryItem | null>;

  /** The items of those `skus` that exist, in any order, read in one query. */
  abstract findMany(skus: readonly string[]): Promise<InventoryItem[]>;

  abstract findPage(query: InventoryPageQuery): Promise<InventoryPage>;

  /** Applies the changes only if the stock rules still hold afterwards, judged against the row at write time. */
  abstract updateIfRulesHold(sku: string, changes: InventoryChanges, now: Date, context?: ChangeContext): Promise<InventoryUpdateResult>;

  /** Deletes the item only while no units are reserved; its movement (`deleted`, at `now`) takes every counter to 0. */
  abstract deleteIfNoActiveReservations(sku: string, now: Date, context?: ChangeContext): Promise<InventoryDeleteResult>;
}

/** What a refused guarded update reports, given the row read right after it (null: gone). Shared by every adapter. */
export function outcomeOfRefusedUpdate(current: InventoryItem | null, changes: InventoryChanges): InventoryUpdateResult {
  if (!current) return { status: 'not_found' };
  const rule = brokenStockRule(applyStockChanges(current, changes));
  return rule ? { status: 'rule_broken', current, rule } : { status: 'contended' };
}

/** What a refused guarded delete reports, given the row read right after it (null: gone). Shared by every adapter. */
export function outcomeOfRefusedDelete(current: InventoryItem | null): InventoryDeleteResult {
  if (!current) return { status: 'not_found' };
  if (current.reservedQuantity > 0) return { status: 'has_active_reservations', reservedQuantity: current.reservedQuantity };
  return { status: 'contended' };
}
