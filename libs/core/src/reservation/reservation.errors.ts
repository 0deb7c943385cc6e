import { ConflictError, DomainError, InvalidInputError } from '../errors/domain-error';

export class InsufficientStockError extends ConflictError {
  override readonly code = 'INSUFFICIENT_STOCK';

  constructor(sku: string, requested: number, available: number) {
    super(`Insufficient stock for '${sku}': requested ${requested}, available ${available}`, { sku, requested, available });
  }
}

/** The customer's active holds of the SKU plus this request would pass the SKU's per-customer cap. */
export class PerCustomerLimitError extends ConflictError {
  override readonly code = 'PER_CUSTOMER_LIMIT_EXCEEDED';

  constructor(sku: string, userId: string, maxPerCustomer: number, heldByCustomer: number, requested: number) {
    super(
      `Per-customer limit for '${sku}' is ${maxPerCustomer} unit(s): this customer already holds ${heldByCustomer}, requested ${requested}`,
      { sku, userId, maxPerCustomer, heldByCustomer, requested },
    );
  }
}

/** A quantity outside 1 to the configured largest hold. */
export class ReserveQuantityError extends InvalidInputError {
  override readonly code = 'INVALID_QUANTITY';

  constructor(quantity: number, maxQuantity: number) {
    super(`quantity must be a whole number from 1 to ${maxQuantity} (got ${quantity})`, { quantity, maxQuantity });
  }
}

export class ReservationNotFoundError extends DomainError {
  readonly code = 'RESERVATION_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(id: string) {
    super(`Reservation '${id}' not found`, { reservationId: id });
  }
}

export class ReservationExpiredError extends DomainError {
  readonly code = 'RESERVATION_EXPIRED';
  readonly kind = 'gone' as const;

  constructor(id: string, expiresAt: Date) {
    super(`Reservation '${id}' expired at ${expiresAt.toISOString()}; its stock was released`, {
      reservationId: id,
      expiresAt: expiresAt.toISOString(),
    });
  }
}

export class ReservationStateConflictError extends ConflictError {
  override readonly code = 'RESERVATION_STATE_CONFLICT';

  constructor(id: string, status: string, action: 'confirm' | 'cancel') {
    super(`Reservation '${id}' is ${status} and cannot be ${action === 'confirm' ? 'confirmed' : 'cancelled'}`, {
      reservationId: id,
      status,
    });
  }
}
