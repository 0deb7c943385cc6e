import {
  InventoryChanges,
  InventoryItem,
  InventoryPage,
  InventoryPageQuery,
  newInventoryItem,
  NewInventoryItem,
} from '../inventory/inventory-item';
import { DuplicateSkuError } from '../inventory/inventory.errors';
import {
  InventoryBulkInsertResult,
  InventoryDeleteResult,
  InventoryRepository,
  InventoryUpdateResult,
  outcomeOfRefusedDelete,
  outcomeOfRefusedUpdate,
} from '../inventory/inventory.repository';
import { applyStockChanges, brokenStockRule } from '../inventory/stock-rules';
import { InMemoryStore } from './in-memory-store';

/**
 * In-memory fake of InventoryRepository for unit tests; passes the same contract suite as the adapters.
 * Each method runs without awaiting, so it never loses a race and never reports `contended`: service specs
 * drive that outcome with a stub.
 */
export class InMemoryInventoryRepository extends InventoryRepository {
  private readonly items: Map<string, InventoryItem>;
  private readonly reservations: InMemoryStore['reservations'];

  constructor(store: InMemoryStore = new InMemoryStore()) {
    super();
    this.reservations = store.reservations;
    this.items = store.items;
  }

  async insert(item: NewInventoryItem, now: Date): Promise<InventoryItem> {
    if (this.items.has(item.sku)) throw new DuplicateSkuError(item.sku);
    return this.store(item, now);
  }

  async insertManySkippingExisting(items: NewInventoryItem[], now: Date): Promise<InventoryBulkInsertResult> {
    const created: InventoryItem[] = [];
    const existingSkus: string[] = [];
    for (const item of items) {
      if (this.items.has(item.sku)) existingSkus.push(item.sku);
      else created.push(this.store(item, now));
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

  async updateIfRulesHold(sku: string, changes: InventoryChanges, now: Date): Promise<InventoryUpdateResult> {
    const current = this.items.get(sku);
    if (!current || brokenStockRule(applyStockChanges(current, changes))) {
      return outcomeOfRefusedUpdate(current ? { ...current } : null, changes);
    }
    const updated: InventoryItem = { ...current, ...definedOnly(changes), updatedAt: now };
    this.items.set(sku, updated);
    return { status: 'updated', item: { ...updated } };
  }

  async deleteIfNoActiveReservations(sku: string): Promise<InventoryDeleteResult> {
    const current = this.items.get(sku);
    if (!current || current.reservedQuantity > 0) return outcomeOfRefusedDelete(current ? { ...current } : null);
    this.items.delete(sku);
    // The SKU's lines of finished holds go with it; a hold with no other line goes whole.
    for (const hold of this.reservations.values()) {
      hold.items = hold.items.filter((line) => line.sku !== sku);
      if (hold.items.length === 0) this.reservations.delete(hold.id);
    }
    return { status: 'deleted' };
  }

  /** Test helper: overwrite counters directly, bypassing the rules (to set up reserved or sold stock). */
  setLevels(sku: string, levels: Partial<Pick<InventoryItem, 'availableQuantity' | 'reservedQuantity' | 'soldQuantity'>>): void {
    const current = this.items.get(sku);
    if (!current) throw new Error(`no item ${sku}`);
    this.items.set(sku, { ...current, ...levels });
  }

  private store(item: NewInventoryItem, now: Date): InventoryItem {
    const stored = newInventoryItem(item, now);
    this.items.set(item.sku, stored);
    return { ...stored };
  }
}

function definedOnly(changes: InventoryChanges): InventoryChanges {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
