import { ConflictError, DomainError, InvalidInputError } from '../errors/domain-error';
import type { StockShortage } from './reservation.repository';

/**
 * Some lines could not be held; nothing was. `details.shortages` lists every short line; with one short line its
 * `sku`, `requested` and `available` are also top-level details (the original single-SKU shape).
 */
export class InsufficientStockError extends ConflictError {
  override readonly code = 'INSUFFICIENT_STOCK';

  constructor(shortages: StockShortage[]) {
    const [first] = shortages;
    super(
      shortages.length === 1
        ? `Insufficient stock for '${first.sku}': requested ${first.requested}, available ${first.available}`
        : `Insufficient stock for ${shortages.length} lines: ` +
            shortages.map((s) => `'${s.sku}' (requested ${s.requested}, available ${s.available})`).join(', '),
      shortages.length === 1 ? { ...first, shortages } : { shortages },
    );
  }
}

/** Some SKUs of a hold do not exist; nothing was held. `details.missing` lists them (and `sku` names the first). */
export class HoldSkusNotFoundError extends DomainError {
  readonly code = 'INVENTORY_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(missing: string[]) {
    super(
      missing.length === 1
        ? `Inventory item '${missing[0]}' not found`
        : `Inventory items not found: ${missing.map((s) => `'${s}'`).join(', ')}`,
      { sku: missing[0], missing },
    );
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

/** A quantity outside 1 to the configured largest line. */
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

  constructor(id: string, status: string, action: HoldAction) {
    super(`Reservation '${id}' is ${status} and cannot be ${ACTION_PAST[action]}`, { reservationId: id, status });
  }
}

export type HoldAction = 'confirm' | 'cancel' | 'extend' | 'release';
const ACTION_PAST: Record<HoldAction, string> = { confirm: 'confirmed', cancel: 'cancelled', extend: 'extended', release: 'released from' };

/** Extending would make the hold live longer than RESERVATION_MAX_TTL_SECONDS from its creation. */
export class HoldLifetimeExceededError extends ConflictError {
  override readonly code = 'HOLD_LIFETIME_EXCEEDED';

  constructor(id: string, maxLifetimeSeconds: number, createdAt: Date, requestedExpiry: Date) {
    const latestExpiry = new Date(createdAt.getTime() + maxLifetimeSeconds * 1000).toISOString();
    super(
      `Reservation '${id}' may live at most ${maxLifetimeSeconds} seconds from its creation (until ${latestExpiry}); ` +
        `extending it to ${requestedExpiry.toISOString()} would pass that`,
      {
        reservationId: id,
        maxLifetimeSeconds,
        createdAt: createdAt.toISOString(),
        latestExpiry,
        requestedExpiry: requestedExpiry.toISOString(),
      },
    );
  }
}

/** A release asks for more units of a SKU than the hold holds of it (0 when it has no such line); nothing moved. */
export class ReleaseExceedsHoldError extends ConflictError {
  override readonly code = 'RELEASE_EXCEEDS_HOLD';

  constructor(id: string, sku: string, held: number, requested: number) {
    super(`Reservation '${id}' holds ${held} unit(s) of '${sku}'; cannot release ${requested}`, {
      reservationId: id,
      sku,
      held,
      requested,
    });
  }
}

/** A hold's lines are empty or more than MAX_HOLD_LINES after summing lines of the same SKU. */
export class HoldLinesError extends InvalidInputError {
  override readonly code = 'INVALID_ITEMS';

  constructor(lines: number, maxLines: number) {
    super(`items must have 1 to ${maxLines} distinct SKUs (got ${lines})`, { lines, maxLines });
  }
}

/** A TTL or an extension outside 1 second to RESERVATION_MAX_TTL_SECONDS. */
export class HoldSecondsError extends InvalidInputError {
  override readonly code = 'INVALID_SECONDS';

  constructor(field: 'ttlSeconds' | 'seconds', value: number, maxSeconds: number) {
    super(`${field} must be a whole number from 1 to ${maxSeconds} (got ${value})`, { field, value, maxSeconds });
  }
}
