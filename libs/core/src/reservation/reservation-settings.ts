import { DEFAULT_MAX_TTL_SECONDS } from './hold-lifetime';
import { HoldFinish, MAX_RESERVE_QUANTITY } from './reservation';

/** Bounds on holds, supplied by the application's configuration. */
export interface ReservationLimits {
  /** Largest quantity one line of a hold may take. */
  maxQuantity: number;
  /** Cap on the units one customer may hold of a SKU that has no cap of its own; null: no default cap. */
  maxPerCustomer: number | null;
  /** Longest a hold may live from its creation (the largest ttlSeconds, and the bound on extensions). */
  maxTtlSeconds: number;
}

export const DEFAULT_RESERVATION_LIMITS: ReservationLimits = {
  maxQuantity: MAX_RESERVE_QUANTITY,
  maxPerCustomer: null,
  maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
};

/** Time rules and bounds for holds, supplied by the application's configuration. */
export class ReservationSettings {
  constructor(
    /** How long a hold lasts unless the request names its own TTL. */
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
