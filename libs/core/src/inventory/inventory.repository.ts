import { InventoryChanges, InventoryItem, InventoryPage, InventoryPageQuery, NewInventoryItem } from './inventory-item';

export type InventoryUpdateResult =
  | { status: 'updated'; item: InventoryItem }
  | { status: 'not_found' }
  /** The guarded write refused the change; `current` is the row as it stood. */
  | { status: 'rule_broken'; current: InventoryItem };

export type InventoryDeleteResult =
  | { status: 'deleted' }
  | { status: 'not_found' }
  | { status: 'has_active_reservations'; reservedQuantity: number };

export interface InventoryBulkInsertResult {
  created: InventoryItem[];
  /** SKUs that were not inserted because they already existed. */
  existingSkus: string[];
}

/**
 * Port for stock storage. Every method is one atomic, guarded operation in the adapter:
 * no method reads and then writes in two steps.
 */
export abstract class InventoryRepository {
  /** Inserts a new item with reserved = sold = 0. Throws DuplicateSkuError when the SKU exists. */
  abstract insert(item: NewInventoryItem): Promise<InventoryItem>;

  /** Inserts every item whose SKU is free, in one statement; reports the SKUs that already existed. */
  abstract insertManySkippingExisting(items: NewInventoryItem[]): Promise<InventoryBulkInsertResult>;

  abstract findBySku(sku: string): Promise<InventoryItem | null>;

  abstract findPage(query: InventoryPageQuery): Promise<InventoryPage>;

  /** Applies the changes only if the stock rules still hold afterwards, judged against the row at write time. */
  abstract updateIfRulesHold(sku: string, changes: InventoryChanges): Promise<InventoryUpdateResult>;

  /** Deletes the item only while no units are reserved. */
  abstract deleteIfNoActiveReservations(sku: string): Promise<InventoryDeleteResult>;
}
