import { brokenStockRule, StockLevels } from '../inventory/stock-rules';
import { LedgerSums } from '../ledger/stock-movement';
import { HoldLine } from './hold-lines';

export const RESERVATION_STATUSES = ['RESERVED', 'CONFIRMED', 'CANCELLED', 'EXPIRED'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/**
 * A hold of one or more lines (a cart), each `quantity` units of one SKU. All lines are held, confirmed, cancelled and
 * expired together. Only a RESERVED hold changes state: its status exactly once; while RESERVED it may be extended
 * and lines may be released.
 */
export interface Reservation {
  id: string;
  userId: string;
  /** Canonical form: one line per SKU, in SKU byte order (mergeLines), never empty. */
  items: HoldLine[];
  status: ReservationStatus;
  expiresAt: Date;
  /** Who asked for it (an API key id, or ANONYMOUS_CLIENT_ID): idempotency keys are unique per client. */
  clientId: string;
  idempotencyKey: string;
  createdAt: Date;
  /** When it left RESERVED (confirmed, cancelled or expired); null while active. */
  finishedAt: Date | null;
}

export interface NewReservation {
  id: string;
  userId: string;
  /** Canonical form (mergeLines): one line per SKU, in SKU byte order, 1 to MAX_HOLD_LINES lines. */
  items: HoldLine[];
  expiresAt: Date;
  clientId: string;
  idempotencyKey: string;
  createdAt: Date;
}

/**
 * When a hold leaves RESERVED, and until when the finished hold is kept: a backend that deletes by TTL
 * (MongoDB) stores `retainUntil`; the others purge by `finishedAt` (purgeFinishedBefore).
 */
export interface HoldFinish {
  now: Date;
  retainUntil: Date;
}

/** Largest quantity one line of a hold may take unless configured otherwise (ReservationSettings.limits.maxQuantity). */
export const MAX_RESERVE_QUANTITY = 10_000;
export const USER_ID_MAX_LENGTH = 128;

/** The client of requests made without an API key: they share one namespace of idempotency keys. */
export const ANONYMOUS_CLIENT_ID = 'anonymous';
export const CLIENT_ID_MAX_LENGTH = 64;

/** A RESERVED hold whose time has passed counts as expired wherever it is read, even before a sweep. */
export function isDue(reservation: Pick<Reservation, 'status' | 'expiresAt'>, now: Date): boolean {
  return reservation.status === 'RESERVED' && reservation.expiresAt.getTime() <= now.getTime();
}

/** A hold that counts against its customer's per-SKU cap at `now`: RESERVED and not yet due. */
export function isActive(reservation: Pick<Reservation, 'status' | 'expiresAt'>, now: Date): boolean {
  return reservation.status === 'RESERVED' && !isDue(reservation, now);
}

export function effectiveStatus(reservation: Reservation, now: Date): ReservationStatus {
  return isDue(reservation, now) ? 'EXPIRED' : reservation.status;
}

/** Counters of a SKU next to the sums computed from the lines of its holds. */
export interface StockReconciliation extends StockLevels {
  sku: string;
  /** Sum of the SKU's lines in RESERVED holds. */
  heldByActiveReservations: number;
  /** Sum of the SKU's lines in CONFIRMED holds. */
  soldByConfirmedReservations: number;
  /** Sums of the SKU's ledger movements. */
  ledger: LedgerSums;
}

/** The counters agree with the holds (reserved = RESERVED sum, sold = CONFIRMED sum) and the ledger, and keep every stock rule. */
export function isConsistent(reconciliation: StockReconciliation): boolean {
  const { ledger } = reconciliation;
  return (
    ledger.totalQuantity === reconciliation.totalQuantity &&
    ledger.availableQuantity === reconciliation.availableQuantity &&
    ledger.reservedQuantity === reconciliation.reservedQuantity &&
    ledger.soldQuantity === reconciliation.soldQuantity &&
    reconciliation.reservedQuantity === reconciliation.heldByActiveReservations &&
    reconciliation.soldQuantity === reconciliation.soldByConfirmedReservations &&
    brokenStockRule(reconciliation) === null
  );
}

/** The reconciliation of one SKU from its counters and the sums of its lines in RESERVED and CONFIRMED holds. */
export function reconciliationOf(
  item: StockLevels & { sku: string },
  held: number,
  soldByHolds: number,
  ledger: LedgerSums,
): StockReconciliation {
  return {
    sku: item.sku,
    totalQuantity: item.totalQuantity,
    availableQuantity: item.availableQuantity,
    reservedQuantity: item.reservedQuantity,
    soldQuantity: item.soldQuantity,
    heldByActiveReservations: held,
    soldByConfirmedReservations: soldByHolds,
    ledger,
  };
}
