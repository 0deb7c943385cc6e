import { OutcomeRecord, ResponseRecord } from '../idempotency/idempotency-record';
import { ChangeContext } from '../ledger/stock-movement';
import { HoldLine } from './hold-lines';
import { HoldListFilter, HoldListPosition } from './hold-list';
import { HoldFinish, NewReservation, Reservation, StockReconciliation } from './reservation';

/** A line that could not be held: `available` units of the SKU were free when it was refused. */
export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
}

/** Every refusal leaves every counter and hold as it was: a cart is held whole or not at all. */
export type ReserveResult =
  | { status: 'reserved'; reservation: Reservation }
  /** `missing`: every SKU of the hold that does not exist, in SKU byte order. */
  | { status: 'sku_not_found'; missing: string[] }
  /**
   * `shortages`: every line whose SKU has fewer units available than the line asks for, in SKU byte order.
   * `dueHolds`: some RESERVED holds with a line of one of those SKUs are past their time, so expiring them may free stock.
   */
  | { status: 'insufficient'; shortages: StockShortage[]; dueHolds: boolean }
  /**
   * The customer's active holds of `sku` (`heldByCustomer` units) plus this hold's line of it would exceed
   * `maxPerCustomer` (the first such line in SKU byte order).
   */
  | { status: 'customer_limit'; sku: string; maxPerCustomer: number; heldByCustomer: number }
  /** A hold of the same client with this idempotency key exists already; nothing moved. */
  | { status: 'duplicate_key'; existing: Reservation }
  /** Only with a `record`: a record of its scope and key exists already (another request with the key came first); nothing moved. */
  | { status: 'key_recorded' };

export type ReleaseResult =
  /** The lines were returned to available; when nothing was left the hold is CANCELLED (lines kept as they were). */
  | { status: 'released'; reservation: Reservation }
  /** The hold is not RESERVED-and-not-due at `finish.now` (or does not exist); nothing moved. */
  | { status: 'not_active' }
  /** A line asks for more than the hold holds of its SKU (`held` 0: no such line); nothing moved. */
  | { status: 'exceeds'; sku: string; held: number; requested: number };

/**
 * Every change of counters appends one stock movement per SKU (reserved / released / cancelled / expired / confirmed,
 * with the hold's id; actor: the hold's client for a reserve, `context.actor` for the others, null for expiry) and writes
 * its events (reservation.created / .extended / .released / .confirmed / .cancelled / .expired, and the threshold
 * crossings of each SKU) in the same statement or transaction as the change: never one without the other.
 *
 * Port for holds (carts of one or more lines). Every method that changes state is one atomic, guarded operation in the adapter:
 * stock moves in the same atomic step as the hold's status, and only a RESERVED hold can change.
 * Times come from the caller: a hold's createdAt, and `finish` (when it ends and until when it is kept);
 * the SKU's updatedAt is set to the same time.
 */
export abstract class ReservationRepository {
  /**
   * For every line, moves `quantity` of its SKU from available to reserved, and records the hold, atomically: all lines
   * or none. Refuses if a SKU is unknown, then if stock is short, then if a customer's cap would be passed. The cap of a
   * line is its SKU's `maxPerCustomer`, else `defaultMaxPerCustomer` (absent or null: no cap); it counts the units of the
   * SKU in the customer's active holds (RESERVED and not due at `hold.createdAt`) and must hold against concurrent
   * reserves on any instance. Locks on several SKUs are taken in SKU byte order (the order of `hold.items`), so
   * carts sharing SKUs never deadlock. A hold of the same client that already carries the idempotency key is reported
   * as `duplicate_key` before any refusal.
   * With a `record`, the request's idempotency record is written complete in the same atomic step as the hold, and only
   * with it: if a record of that scope and key exists, nothing moves (`key_recorded`). Without one, nothing is recorded.
   */
  abstract tryReserve(hold: NewReservation, defaultMaxPerCustomer?: number | null, record?: ResponseRecord): Promise<ReserveResult>;

  abstract findById(id: string): Promise<Reservation | null>;

  /**
   * The admin's list: up to `limit` holds matching every field of `filter`, newest first (createdAt desc, id desc),
   * only those after `after` in that order when given; each with its lines. One query, served by indexes.
   */
  abstract listForAdmin(filter: HoldListFilter, limit: number, after: HoldListPosition | null): Promise<Reservation[]>;

  /**
   * RESERVED and not yet due at `finish.now` -> CONFIRMED, reserved -> sold. Null if the hold was not in that state.
   * With a `record`, the request's idempotency record is written with the change, holding the ended hold (OutcomeRecord),
   * only if the change applies; a record of that scope and key already there throws RecordDeclinedSignal, nothing moved.
   */
  abstract confirmIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null>;

  /** RESERVED and not yet due at `finish.now` -> CANCELLED, reserved -> available. Null if not in that state. `record`: see confirm. */
  abstract cancelIfActive(id: string, finish: HoldFinish, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation | null>;

  /** RESERVED and due at `finish.now` -> EXPIRED, reserved -> available. Null if the hold was not in that state. */
  abstract expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null>;

  /**
   * RESERVED and not due at `now`: moves `expiresAt` to `expiresAt + seconds`, only if that stays within
   * `maxLifetimeSeconds` of `createdAt`. Null if the hold was not in that state or the new expiry would pass the limit.
   */
  abstract extendIfActive(
    id: string,
    seconds: number,
    maxLifetimeSeconds: number,
    now: Date,
    context?: ChangeContext,
  ): Promise<Reservation | null>;

  /**
   * RESERVED and not due at `finish.now`: takes `lines` (canonical form) from the hold's lines and returns those units
   * from reserved to available, atomically; a line at zero is removed. Releasing every unit left ends the hold as
   * CANCELLED instead, exactly as cancelIfActive (its lines kept as they were). Nothing moves unless every line fits.
   */
  abstract releaseIfActive(id: string, lines: HoldLine[], finish: HoldFinish, context?: ChangeContext): Promise<ReleaseResult>;

  /**
   * Expires up to `limit` holds due at `finish.now` (only holds with a line of one of `skus` when given), returning the
   * stock of all their lines; safe to run from several instances at once (a concurrent full sweep may make this one
   * expire nothing).
   */
  abstract expireDue(finish: HoldFinish, limit: number, skus?: readonly string[]): Promise<number>;

  /**
   * The expiry time of the longest-overdue hold: the earliest `expiresAt` among RESERVED holds due at `now`, or null
   * when none is due. How long it has waited is how far the sweeper is behind (served by the due-holds index).
   */
  abstract oldestDueExpiry(now: Date): Promise<Date | null>;

  /** Deletes up to `limit` holds that finished before `cutoff`. */
  abstract purgeFinishedBefore(cutoff: Date, limit: number): Promise<number>;

  /** The SKU's counters, the sums of its lines in RESERVED and CONFIRMED holds and of its movements, in one consistent snapshot. */
  abstract reconcile(sku: string): Promise<StockReconciliation | null>;
}
