import { Injectable, Optional } from '@nestjs/common';
import { LOST_RACE, retryLostRaces, stockOf } from '../concurrency/lost-races';
import { DomainError } from '../errors/domain-error';
import { ChangeContext } from '../ledger/stock-movement';
import { Clock } from '../time/clock';
import { InventoryChanges, InventoryItem, InventoryPage, InventoryPageQuery, NewInventoryItem, STOCK_BUCKETS_MAX } from './inventory-item';
import {
  ActiveReservationsError,
  DuplicateSkuError,
  InvalidStockError,
  InventoryNotFoundError,
  StockBucketsUnsupportedError,
  StockRuleViolationError,
} from './inventory.errors';
import { InventoryRepository } from './inventory.repository';
import { brokenCapRule, brokenStockRule } from './stock-rules';

export interface NewInventoryItemInput {
  sku: string;
  productName: string;
  totalQuantity: number;
  /** Defaults to totalQuantity. */
  availableQuantity?: number;
  /** Most units one customer may hold at once; absent or null: the configured default applies, if any. */
  maxPerCustomer?: number | null;
  /** Absent: InventorySettings.defaultLowStockThreshold; null: no low-stock events. */
  lowStockThreshold?: number | null;
  /** Absent: 1. */
  stockBuckets?: number;
}

/** Inventory rules supplied by the application's configuration. */
export class InventorySettings {
  constructor(
    /** The low-stock threshold of an item created without one (LOW_STOCK_THRESHOLD); null: none. */
    readonly defaultLowStockThreshold: number | null = null,
  ) {}
}

/** Items of the SKUs asked for that exist, in the order asked (each once), and the SKUs that do not. */
export interface Availability {
  items: InventoryItem[];
  missing: string[];
}

export interface BulkItemFailure {
  index: number;
  sku?: string;
  code: string;
  message: string;
}

export interface BulkCreateResult {
  created: InventoryItem[];
  failures: BulkItemFailure[];
}

@Injectable()
export class InventoryService {
  constructor(
    private readonly inventory: InventoryRepository,
    private readonly clock: Clock,
    @Optional() private readonly settings: InventorySettings = new InventorySettings(),
  ) {}

  async create(input: NewInventoryItemInput, context?: ChangeContext): Promise<InventoryItem> {
    return this.inventory.insert(this.toNewItem(input), this.clock.now(), context);
  }

  /** Creates every valid item; one bad item does not sink the others. Indexes refer to `inputs`. */
  async createMany(inputs: { index: number; input: NewInventoryItemInput }[], context?: ChangeContext): Promise<BulkCreateResult> {
    const failures: BulkItemFailure[] = [];
    const accepted: { index: number; item: NewInventoryItem }[] = [];
    const seen = new Set<string>();
    for (const { index, input } of inputs) {
      try {
        if (seen.has(input.sku)) throw new DuplicateSkuError(input.sku, 'appears more than once in this batch');
        accepted.push({ index, item: this.toNewItem(input) });
        seen.add(input.sku);
      } catch (error) {
        failures.push(toFailure(index, input.sku, error));
      }
    }
    if (accepted.length === 0) return { created: [], failures };

    const { created, existingSkus } = await this.inventory.insertManySkippingExisting(
      accepted.map((a) => a.item),
      this.clock.now(),
      context,
    );
    const existing = new Set(existingSkus);
    for (const { index, item } of accepted) {
      if (existing.has(item.sku)) failures.push(toFailure(index, item.sku, new DuplicateSkuError(item.sku)));
    }
    failures.sort((a, b) => a.index - b.index);
    return { created, failures };
  }

  async getBySku(sku: string): Promise<InventoryItem> {
    const item = await this.inventory.findBySku(sku);
    if (!item) throw new InventoryNotFoundError(sku);
    return item;
  }

  /** One read for many SKUs; a SKU asked for twice is answered once, at its first place. */
  async availabilityOf(skus: readonly string[]): Promise<Availability> {
    const asked = [...new Set(skus)];
    const found = new Map((await this.inventory.findMany(asked)).map((item) => [item.sku, item]));
    return {
      items: asked.flatMap((sku) => found.get(sku) ?? []),
      missing: asked.filter((sku) => !found.has(sku)),
    };
  }

  async list(query: InventoryPageQuery): Promise<InventoryPage> {
    return this.inventory.findPage(query);
  }

  /** A lost race (the guard refused, yet the rules hold against the row read afterwards) is tried again. */
  async update(sku: string, changes: InventoryChanges, context?: ChangeContext): Promise<InventoryItem> {
    const capRule = brokenCapRule(changes.maxPerCustomer);
    if (capRule) throw new InvalidStockError(sku, capRule);
    if (changes.stockBuckets !== undefined) this.checkStockBuckets(sku, changes.stockBuckets);
    return retryLostRaces(stockOf(sku), async () => {
      const result = await this.inventory.updateIfRulesHold(sku, changes, this.clock.now(), context);
      switch (result.status) {
        case 'updated':
          return result.item;
        case 'not_found':
          throw new InventoryNotFoundError(sku);
        case 'rule_broken':
          throw new StockRuleViolationError(sku, result.rule);
        case 'contended':
          return LOST_RACE;
      }
    });
  }

  /** A lost race (units were released between the refused delete and the re-read) is tried again. */
  async remove(sku: string, context?: ChangeContext): Promise<void> {
    await retryLostRaces(stockOf(sku), async () => {
      const result = await this.inventory.deleteIfNoActiveReservations(sku, this.clock.now(), context);
      switch (result.status) {
        case 'deleted':
          return;
        case 'not_found':
          throw new InventoryNotFoundError(sku);
        case 'has_active_reservations':
          throw new ActiveReservationsError(sku, result.reservedQuantity);
        case 'contended':
          return LOST_RACE;
      }
    });
  }

  private toNewItem(input: NewInventoryItemInput): NewInventoryItem {
    if (input.stockBuckets !== undefined) this.checkStockBuckets(input.sku, input.stockBuckets);
    return toNewItem({
      ...input,
      lowStockThreshold: input.lowStockThreshold === undefined ? this.settings.defaultLowStockThreshold : input.lowStockThreshold,
    });
  }

  private checkStockBuckets(sku: string, stockBuckets: number): void {
    if (!Number.isSafeInteger(stockBuckets) || stockBuckets < 1 || stockBuckets > STOCK_BUCKETS_MAX) {
      throw new InvalidStockError(sku, `stockBuckets must be a whole number from 1 to ${STOCK_BUCKETS_MAX} (got ${stockBuckets})`);
    }
    if (stockBuckets > this.inventory.maxStockBuckets) {
      throw new StockBucketsUnsupportedError(sku, stockBuckets, this.inventory.maxStockBuckets);
    }
  }
}

function toNewItem(input: NewInventoryItemInput): NewInventoryItem {
  const availableQuantity = input.availableQuantity ?? input.totalQuantity;
  const rule =
    brokenStockRule({
      totalQuantity: input.totalQuantity,
      availableQuantity,
      reservedQuantity: 0,
      soldQuantity: 0,
    }) ?? brokenCapRule(input.maxPerCustomer);
  if (rule) throw new InvalidStockError(input.sku, rule);
  return {
    sku: input.sku,
    productName: input.productName,
    totalQuantity: input.totalQuantity,
    availableQuantity,
    maxPerCustomer: input.maxPerCustomer ?? null,
    lowStockThreshold: input.lowStockThreshold ?? null,
    stockBuckets: input.stockBuckets ?? 1,
  };
}

function toFailure(index: number, sku: string | undefined, error: unknown): BulkItemFailure {
  if (error instanceof DomainError) return { index, sku, code: error.code, message: error.message };
  throw error;
}
