import { NewReservation, Reservation, StockReconciliation } from './reservation';

export type ReserveResult =
  | { status: 'reserved'; reservation: Reservation }
  | { status: 'sku_not_found' }
  /** `dueHolds`: some RESERVED holds of the SKU are past their time, so expiring them may free stock. */
  | { status: 'insufficient'; availableQuantity: number; dueHolds: boolean }
  /** A hold with this idempotency key exists already; nothing moved. */
  | { status: 'duplicate_key'; existing: Reservation };

/**
 * Port for holds. Every method that changes state is one atomic, guarded operation in the adapter:
 * stock moves in the same atomic step as the hold's status, and only a RESERVED hold can change.
 */
export abstract class ReservationRepository {
  /**
   * Moves `quantity` from available to reserved and records the hold, atomically; refuses if stock is short.
   * A hold that already carries the idempotency key is reported as `duplicate_key` before any shortage.
   */
  abstract tryReserve(hold: NewReservation): Promise<ReserveResult>;

  abstract findById(id: string): Promise<Reservation | null>;

  /** RESERVED and not yet due at `now` -> CONFIRMED, reserved -> sold. Null if the hold was not in that state. */
  abstract confirmIfActive(id: string, now: Date): Promise<Reservation | null>;

  /** RESERVED and not yet due at `now` -> CANCELLED, reserved -> available. Null if the hold was not in that state. */
  abstract cancelIfActive(id: string, now: Date): Promise<Reservation | null>;

  /** RESERVED and due at `now` -> EXPIRED, reserved -> available. Null if the hold was not in that state. */
  abstract expireIfDue(id: string, now: Date): Promise<Reservation | null>;

  /**
   * Expires up to `limit` due holds (of one SKU when `sku` is given), returning their stock; safe to run
   * from several instances at once (a concurrent full sweep may make this one expire nothing).
   */
  abstract expireDue(now: Date, limit: number, sku?: string): Promise<number>;

  /** Deletes up to `limit` holds that finished before `cutoff`. */
  abstract purgeFinishedBefore(cutoff: Date, limit: number): Promise<number>;

  /** The SKU's counters and the sums of its holds, read in one consistent snapshot. */
  abstract reconcile(sku: string): Promise<StockReconciliation | null>;
}
