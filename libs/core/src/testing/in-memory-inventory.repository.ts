import { InventoryChanges, InventoryItem, InventoryPage, InventoryPageQuery, NewInventoryItem } from '../inventory/inventory-item';
import { DuplicateSkuError } from '../inventory/inventory.errors';
import {
  InventoryBulkInsertResult,
  InventoryDeleteResult,
  InventoryRepository,
  InventoryUpdateResult,
} from '../inventory/inventory.repository';
import { applyStockChanges, brokenStockRule } from '../inventory/stock-rules';
import { InMemoryStore } from './in-memory-store';

/** In-memory fake of InventoryRepository for unit tests; passes the same contract suite as the adapters. */
export class InMemoryInventoryRepository extends InventoryRepository {
  private readonly items: Map<string, InventoryItem>;

  constructor(
    private readonly now: () => Date = () => new Date(),
    store: InMemoryStore = new InMemoryStore(),
  ) {
    super();
    this.items = store.items;
  }

  async insert(item: NewInventoryItem): Promise<InventoryItem> {
    if (this.items.has(item.sku)) throw new DuplicateSkuError(item.sku);
    return this.store(item);
  }

  async insertManySkippingExisting(items: NewInventoryItem[]): Promise<InventoryBulkInsertResult> {
    const created: InventoryItem[] = [];
    const existingSkus: string[] = [];
    for (const item of items) {
      if (this.items.has(item.sku)) existingSkus.push(item.sku);
      else created.push(this.store(item));
    }
    return { created, existingSkus };
  }

  async findBySku(sku: string): Promise<InventoryItem | null> {
    const item = this.items.get(sku);
    return item ? { ...item } : null;
  }

  async findPage(query: InventoryPageQuery): Promise<InventoryPage> {
    const direction = query.sortOrder === 'desc' ? -1 : 1;
    const sorted = [...this.items.values()].sort((a, b) => {
      const x = a[query.sortBy];
      const y = b[query.sortBy];
      if (x < y) return -direction;
      if (x > y) return direction;
      return a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0;
    });
    return {
      items: sorted.slice(query.offset, query.offset + query.limit).map((item) => ({ ...item })),
      total: sorted.length,
    };
  }

  async updateIfRulesHold(sku: string, changes: InventoryChanges): Promise<InventoryUpdateResult> {
    const current = this.items.get(sku);
    if (!current) return { status: 'not_found' };
    if (brokenStockRule(applyStockChanges(current, changes))) return { status: 'rule_broken', current: { ...current } };
    const updated: InventoryItem = {
      ...current,
      ...definedOnly(changes),
      updatedAt: this.now(),
    };
    this.items.set(sku, updated);
    return { status: 'updated', item: { ...updated } };
  }

  async deleteIfNoActiveReservations(sku: string): Promise<InventoryDeleteResult> {
    const current = this.items.get(sku);
    if (!current) return { status: 'not_found' };
    if (current.reservedQuantity > 0) {
      return { status: 'has_active_reservations', reservedQuantity: current.reservedQuantity };
    }
    this.items.delete(sku);
    return { status: 'deleted' };
  }

  /** Test helper: overwrite counters directly, bypassing the rules (to set up reserved or sold stock). */
  setLevels(sku: string, levels: Partial<Pick<InventoryItem, 'availableQuantity' | 'reservedQuantity' | 'soldQuantity'>>): void {
    const current = this.items.get(sku);
    if (!current) throw new Error(`no item ${sku}`);
    this.items.set(sku, { ...current, ...levels });
  }

  private store(item: NewInventoryItem): InventoryItem {
    const now = this.now();
    const stored: InventoryItem = { ...item, reservedQuantity: 0, soldQuantity: 0, createdAt: now, updatedAt: now };
    this.items.set(item.sku, stored);
    return { ...stored };
  }
}

function definedOnly(changes: InventoryChanges): InventoryChanges {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
