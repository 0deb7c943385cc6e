import { HoldFinish, NewReservation, Reservation, StockReconciliation } from './reservation';

export type ReserveResult =
  | { status: 'reserved'; reservation: Reservation }
  | { status: 'sku_not_found' }
  /** `dueHolds`: some RESERVED holds of the SKU are past their time, so expiring them may free stock. */
  | { status: 'insufficient'; availableQuantity: number; dueHolds: boolean }
  /** The customer's active holds of the SKU (`heldByCustomer` units) plus this one would exceed `maxPerCustomer`. */
  | { status: 'customer_limit'; maxPerCustomer: number; heldByCustomer: number }
  /** A hold of the same client with this idempotency key exists already; nothing moved. */
  | { status: 'duplicate_key'; existing: Reservation };

/**
 * Port for holds. Every method that changes state is one atomic, guarded operation in the adapter:
 * stock moves in the same atomic step as the hold's status, and only a RESERVED hold can change.
 * Times come from the caller: a hold's createdAt, and `finish` (when it ends and until when it is kept);
 * the SKU's updatedAt is set to the same time.
 */
export abstract class ReservationRepository {
  /**
   * Moves `quantity` from available to reserved and records the hold, atomically; refuses if stock is short,
   * then if the customer's cap would be passed. The cap is the SKU's `maxPerCustomer`, else
   * `defaultMaxPerCustomer` (absent or null: no cap); it counts the units of the customer's active holds of the
   * SKU (RESERVED and not due at `hold.createdAt`) and must hold against concurrent reserves on any instance.
   * A hold of the same client that already carries the idempotency key is reported as `duplicate_key` before any refusal.
   */
  abstract tryReserve(hold: NewReservation, defaultMaxPerCustomer?: number | null): Promise<ReserveResult>;

  abstract findById(id: string): Promise<Reservation | null>;

  /** RESERVED and not yet due at `finish.now` -> CONFIRMED, reserved -> sold. Null if the hold was not in that state. */
  abstract confirmIfActive(id: string, finish: HoldFinish): Promise<Reservation | null>;

  /** RESERVED and not yet due at `finish.now` -> CANCELLED, reserved -> available. Null if the hold was not in that state. */
  abstract cancelIfActive(id: string, finish: HoldFinish): Promise<Reservation | null>;

  /** RESERVED and due at `finish.now` -> EXPIRED, reserved -> available. Null if the hold was not in that state. */
  abstract expireIfDue(id: string, finish: HoldFinish): Promise<Reservation | null>;

  /**
   * Expires up to `limit` holds due at `finish.now` (of one SKU when `sku` is given), returning their stock;
   * safe to run from several instances at once (a concurrent full sweep may make this one expire nothing).
   */
  abstract expireDue(finish: HoldFinish, limit: number, sku?: string): Promise<number>;

  /**
   * The expiry time of the longest-overdue hold: the earliest `expiresAt` among RESERVED holds due at `now`, or null
   * when none is due. How long it has waited is how far the sweeper is behind (served by the due-holds index).
   */
  abstract oldestDueExpiry(now: Date): Promise<Date | null>;

  /** Deletes up to `limit` holds that finished before `cutoff`. */
  abstract purgeFinishedBefore(cutoff: Date, limit: number): Promise<number>;

  /** The SKU's counters and the sums of its holds, read in one consistent snapshot. */
  abstract reconcile(sku: string): Promise<StockReconciliation | null>;
}
