import { Injectable } from '@nestjs/common';
import { ConcurrentModificationError, DomainError } from '../errors/domain-error';
import { InventoryChanges, InventoryItem, InventoryPage, InventoryPageQuery, NewInventoryItem } from './inventory-item';
import {
  ActiveReservationsError,
  DuplicateSkuError,
  InvalidStockError,
  InventoryNotFoundError,
  StockRuleViolationError,
} from './inventory.errors';
import { InventoryRepository } from './inventory.repository';
import { applyStockChanges, brokenStockRule } from './stock-rules';

export interface NewInventoryItemInput {
  sku: string;
  productName: string;
  totalQuantity: number;
  /** Defaults to totalQuantity. */
  availableQuantity?: number;
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

/** A guarded update can lose a race against another writer and still be valid; retry a few times before reporting. */
const UPDATE_ATTEMPTS = 3;

@Injectable()
export class InventoryService {
  constructor(private readonly inventory: InventoryRepository) {}

  async create(input: NewInventoryItemInput): Promise<InventoryItem> {
    return this.inventory.insert(toNewItem(input));
  }

  /** Creates every valid item; one bad item does not sink the others. Indexes refer to `inputs`. */
  async createMany(inputs: { index: number; input: NewInventoryItemInput }[]): Promise<BulkCreateResult> {
    const failures: BulkItemFailure[] = [];
    const accepted: { index: number; item: NewInventoryItem }[] = [];
    const seen = new Set<string>();
    for (const { index, input } of inputs) {
      try {
        if (seen.has(input.sku)) throw new DuplicateSkuError(input.sku, 'appears more than once in this batch');
        accepted.push({ index, item: toNewItem(input) });
        seen.add(input.sku);
      } catch (error) {
        failures.push(toFailure(index, input.sku, error));
      }
    }
    if (accepted.length === 0) return { created: [], failures };

    const { created, existingSkus } = await this.inventory.insertManySkippingExisting(accepted.map((a) => a.item));
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

  async list(query: InventoryPageQuery): Promise<InventoryPage> {
    return this.inventory.findPage(query);
  }

  async update(sku: string, changes: InventoryChanges): Promise<InventoryItem> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.inventory.updateIfRulesHold(sku, changes);
      if (result.status === 'updated') return result.item;
      if (result.status === 'not_found') throw new InventoryNotFoundError(sku);
      const rule = brokenStockRule(applyStockChanges(result.current, changes));
      if (rule) throw new StockRuleViolationError(sku, rule);
      if (attempt >= UPDATE_ATTEMPTS) {
        throw new ConcurrentModificationError(`Stock of '${sku}' kept changing concurrently; retry the request`, { sku });
      }
    }
  }

  async remove(sku: string): Promise<void> {
    const result = await this.inventory.deleteIfNoActiveReservations(sku);
    if (result.status === 'not_found') throw new InventoryNotFoundError(sku);
    if (result.status === 'has_active_reservations') {
      if (result.reservedQuantity === 0) {
        throw new ConcurrentModificationError(`Stock of '${sku}' kept changing concurrently; retry the request`, { sku });
      }
      throw new ActiveReservationsError(sku, result.reservedQuantity);
    }
  }
}

function toNewItem(input: NewInventoryItemInput): NewInventoryItem {
  const availableQuantity = input.availableQuantity ?? input.totalQuantity;
  const rule = brokenStockRule({
    totalQuantity: input.totalQuantity,
    availableQuantity,
    reservedQuantity: 0,
    soldQuantity: 0,
  });
  if (rule) throw new InvalidStockError(input.sku, rule);
  return { sku: input.sku, productName: input.productName, totalQuantity: input.totalQuantity, availableQuantity };
}

function toFailure(index: number, sku: string | undefined, error: unknown): BulkItemFailure {
  if (error instanceof DomainError) return { index, sku, code: error.code, message: error.message };
  throw error;
}
