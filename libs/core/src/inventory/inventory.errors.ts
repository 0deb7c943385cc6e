import { ConflictError, DomainError, InvalidInputError } from '../errors/domain-error';

export class InventoryNotFoundError extends DomainError {
  readonly code = 'INVENTORY_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(readonly sku: string) {
    super(`Inventory item '${sku}' not found`, { sku });
  }
}

export class DuplicateSkuError extends ConflictError {
  override readonly code = 'DUPLICATE_SKU';

  constructor(
    readonly sku: string,
    reason = 'already exists',
  ) {
    super(`Inventory item '${sku}' ${reason}`, { sku });
  }
}

/** A change would break `available + reserved + sold <= total` or a non-negative rule. */
export class StockRuleViolationError extends ConflictError {
  override readonly code = 'STOCK_RULE_VIOLATION';

  constructor(sku: string, rule: string) {
    super(`Change to '${sku}' rejected: ${rule}`, { sku, rule });
  }
}

/** New stock that is inconsistent in itself (e.g. more available than total). */
export class InvalidStockError extends InvalidInputError {
  override readonly code = 'INVALID_STOCK';

  constructor(sku: string, rule: string) {
    super(`Inventory item '${sku}' is invalid: ${rule}`, { sku, rule });
  }
}

export class ActiveReservationsError extends ConflictError {
  override readonly code = 'SKU_HAS_ACTIVE_RESERVATIONS';

  constructor(sku: string, reservedQuantity: number) {
    super(`Inventory item '${sku}' cannot be deleted: ${reservedQuantity} unit(s) are held by active reservations`, {
      sku,
      reservedQuantity,
    });
  }
}

/** This backend keeps every SKU's stock in one row or document: `stockBuckets` above `max` is refused. */
export class StockBucketsUnsupportedError extends InvalidInputError {
  override readonly code = 'STOCK_BUCKETS_UNSUPPORTED';

  constructor(sku: string, stockBuckets: number, max: number) {
    super(`Inventory item '${sku}' cannot have ${stockBuckets} stock buckets: this database supports at most ${max}`, {
      sku,
      stockBuckets,
      maxStockBuckets: max,
    });
  }
}
