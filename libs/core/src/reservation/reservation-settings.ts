import { HoldFinish, MAX_RESERVE_QUANTITY } from './reservation';

/** Bounds on holds, supplied by the application's configuration. */
export interface ReservationLimits {
  /** Largest quantity one hold may take. */
  maxQuantity: number;
  /** Cap on the units one customer may hold of a SKU that has no cap of its own; null: no default cap. */
  maxPerCustomer: number | null;
}

export const DEFAULT_RESERVATION_LIMITS: ReservationLimits = { maxQuantity: MAX_RESERVE_QUANTITY, maxPerCustomer: null };

/** Time rules and bounds for holds, supplied by the application's configuration. */
export class ReservationSettings {
  constructor(
    /** How long a hold lasts. */
    readonly ttlSeconds: number,
    /** How long finished holds are kept before they are deleted. */
    readonly finishedRetentionSeconds: number,
    readonly limits: ReservationLimits = DEFAULT_RESERVATION_LIMITS,
  ) {}

  /** A hold that finishes at `now` is kept until now + the retention. */
  finishAt(now: Date): HoldFinish {
    return { now, retainUntil: new Date(now.getTime() + this.finishedRetentionSeconds * 1000) };
  }
}
