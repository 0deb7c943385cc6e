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
import { itemSnapshot, movementSnapshot } from '../events/domain-event';
import { ChangeContext, NO_STOCK } from '../ledger/stock-movement';
import { InMemoryLedgerWriter, levelsOf } from './in-memory-ledger-writer';
import { InMemoryStore } from './in-memory-store';

/**
 * In-memory fake of InventoryRepository for unit tests; passes the same contract suite as the adapters.
 * Each method runs without awaiting, so it never loses a race and never reports `contended`: service specs
 * drive that outcome with a stub. Every change appends its movement and writes its events in the same step; creation
 * and deletion write no threshold events (the SKU's own created / deleted event tells it).
 */
export class InMemoryInventoryRepository extends InventoryRepository {
  private readonly items: Map<string, InventoryItem>;
  private readonly reservations: InMemoryStore['reservations'];
  private readonly ledger: InMemoryLedgerWriter;

  constructor(store: InMemoryStore = new InMemoryStore()) {
    super();
    this.reservations = store.reservations;
    this.items = store.items;
    this.ledger = new InMemoryLedgerWriter(store);
  }

  async insert(item: NewInventoryItem, now: Date, context?: ChangeContext): Promise<InventoryItem> {
    if (this.items.has(item.sku)) throw new DuplicateSkuError(item.sku);
    return this.store(item, now, context);
  }

  async insertManySkippingExisting(items: NewInventoryItem[], now: Date, context?: ChangeContext): Promise<InventoryBulkInsertResult> {
    const created: InventoryItem[] = [];
    const existingSkus: string[] = [];
    for (const item of items) {
      if (this.items.has(item.sku)) existingSkus.push(item.sku);
      else created.push(this.store(item, now, context));
    }
    return { created, existingSkus };
  }

  async findBySku(sku: string): Promise<InventoryItem | null> {
    const item = this.items.get(sku);
    return item ? { ...item } : null;
  }

  async findMany(skus: readonly string[]): Promise<InventoryItem[]> {
    return skus.flatMap((sku) => {
      const item = this.items.get(sku);
      return item ? [{ ...item }] : [];
    });
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

  async updateIfRulesHold(sku: string, changes: InventoryChanges, now: Date, context?: ChangeContext): Promise<InventoryUpdateResult> {
    const current = this.items.get(sku);
    if (!current || brokenStockRule(applyStockChanges(current, changes))) {
      return outcomeOfRefusedUpdate(current ? { ...current } : null, changes);
    }
    const updated: InventoryItem = { ...current, ...definedOnly(changes), updatedAt: now };
    this.items.set(sku, updated);
    const countersChanged = updated.totalQuantity !== current.totalQuantity || updated.availableQuantity !== current.availableQuantity;
    const change = countersChanged ? this.ledger.movement(levelsOf(current), updated, { type: 'adjusted', at: now, context }) : null;
    this.ledger.event('inventory.updated', now, {
      item: itemSnapshot(updated),
      movement: change ? movementSnapshot(change.movement) : null,
    });
    if (change) this.ledger.thresholdEvents([change], now);
    return { status: 'updated', item: { ...updated } };
  }

  async deleteIfNoActiveReservations(sku: string, now: Date, context?: ChangeContext): Promise<InventoryDeleteResult> {
    const current = this.items.get(sku);
    if (!current || current.reservedQuantity > 0) return outcomeOfRefusedDelete(current ? { ...current } : null);
    this.items.delete(sku);
    const { movement } = this.ledger.movement(levelsOf(current), { ...current, ...NO_STOCK }, { type: 'deleted', at: now, context });
    this.ledger.event('inventory.deleted', now, { item: itemSnapshot(current), movement: movementSnapshot(movement) });
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

  private store(item: NewInventoryItem, now: Date, context?: ChangeContext): InventoryItem {
    const stored = newInventoryItem(item, now);
    this.items.set(item.sku, stored);
    const { movement } = this.ledger.movement(NO_STOCK, stored, { type: 'created', at: now, context });
    this.ledger.event('inventory.created', now, { item: itemSnapshot(stored), movement: movementSnapshot(movement) });
    return { ...stored };
  }
}

function definedOnly(changes: InventoryChanges): InventoryChanges {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
}
