import { ReservationStatus } from './reservation';

/** Most holds one page of the admin list may ask for. */
export const HOLD_LIST_MAX_LIMIT = 200;

/**
 * Which holds the admin list shows; every given field must match (AND). `status` is the status shown at `now`
 * (effectiveStatus): RESERVED means RESERVED and not yet due, EXPIRED includes RESERVED holds already due.
 */
export interface HoldListFilter {
  now: Date;
  status?: ReservationStatus;
  /** Holds with a line of this SKU. */
  sku?: string;
  userId?: string;
  /** RESERVED holds with now < expiresAt <= expiringBy. */
  expiringBy?: Date;
}

/** A place in the list's order (createdAt desc, id desc): the page starts after it. */
export interface HoldListPosition {
  createdAt: Date;
  id: string;
}

/** True when `a` comes before `b` in the list's order: newer first, then the greater id. */
export function listedBefore(a: HoldListPosition, b: HoldListPosition): boolean {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime === 0 ? a.id > b.id : byTime > 0;
}
