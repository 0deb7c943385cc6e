import { ConflictError, DomainError } from '../errors/domain-error';

export class InsufficientStockError extends ConflictError {
  override readonly code = 'INSUFFICIENT_STOCK';

  constructor(sku: string, requested: number, available: number) {
    super(`Insufficient stock for '${sku}': requested ${requested}, available ${available}`, { sku, requested, available });
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

