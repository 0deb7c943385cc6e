/** One SKU's stock. Invariant: every quantity >= 0 and available + reserved + sold <= total. */
export interface InventoryItem {
  sku: string;
  productName: string;
  totalQuantity: number;
  availableQuantity: number;
  reservedQuantity: number;
  soldQuantity: number;
  /** Most units one customer may hold at once (active holds); null: the configured default applies, if any. */
  maxPerCustomer: number | null;
  /** `inventory.low_stock` fires when available falls below it; null: never. */
  lowStockThreshold: number | null;
  /** How many rows the SKU's stock is spread over so concurrent reserves do not queue on one row lock (1: one row). */
  stockBuckets: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewInventoryItem {
  sku: string;
  productName: string;
  totalQuantity: number;
  availableQuantity: number;
  /** Absent or null: no cap of its own. */
  maxPerCustomer?: number | null;
  /** Absent or null: no low-stock events (the service fills in the configured default). */
  lowStockThreshold?: number | null;
  /** Absent: 1. */
  stockBuckets?: number;
}

/** Most rows one SKU's stock may be spread over (`stockBuckets`). */
export const STOCK_BUCKETS_MAX = 64;

/** A new item as stored: nothing reserved or sold yet, created and updated at `now`. */
export function newInventoryItem(item: NewInventoryItem, now: Date): InventoryItem {
  return {
    ...item,
    maxPerCustomer: item.maxPerCustomer ?? null,
    lowStockThreshold: item.lowStockThreshold ?? null,
    stockBuckets: item.stockBuckets ?? 1,
    reservedQuantity: 0,
    soldQuantity: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/** The fields an admin may change; absent fields stay as they are. */
export interface InventoryChanges {
  productName?: string;
  totalQuantity?: number;
  availableQuantity?: number;
  /** null removes the SKU's own cap. */
  maxPerCustomer?: number | null;
  /** null: no low-stock events. */
  lowStockThreshold?: number | null;
  /** The stock is spread again over this many rows, in the same transaction. */
  stockBuckets?: number;
}

export const INVENTORY_SORT_FIELDS = [
  'sku',
  'productName',
  'totalQuantity',
  'availableQuantity',
  'reservedQuantity',
  'soldQuantity',
  'createdAt',
  'updatedAt',
] as const;
export type InventorySortField = (typeof INVENTORY_SORT_FIELDS)[number];
export type SortOrder = 'asc' | 'desc';

export interface InventoryPageQuery {
  offset: number;
  limit: number;
  sortBy: InventorySortField;
  sortOrder: SortOrder;
}

export interface InventoryPage {
  items: InventoryItem[];
  total: number;
}
