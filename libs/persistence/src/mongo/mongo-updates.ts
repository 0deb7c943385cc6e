import { InventoryChanges, ReservationStatus } from '@app/core';

/**
 * Filters and update documents of the guarded writes, kept pure so they can be checked without a server.
 * Every stock change is one findOneAndUpdate whose filter is the guard; every hold transition is
 * conditional on status RESERVED.
 */

/** Takes `quantity` units only while that many are available. */
export function reserveStock(sku: string, quantity: number, now: Date) {
  return {
    filter: { _id: sku, availableQuantity: { $gte: quantity } },
    update: { $inc: { availableQuantity: -quantity, reservedQuantity: quantity }, $set: { updatedAt: now } },
  };
}

export type Transition = 'confirm' | 'cancel' | 'expire';

const TARGET: Record<Transition, ReservationStatus> = { confirm: 'CONFIRMED', cancel: 'CANCELLED', expire: 'EXPIRED' };

/** RESERVED -> target; confirm and cancel only before expiry, expire only from expiry on. */
export function holdTransition(transition: Transition, id: string, now: Date, purgeAt: Date | null) {
  return { filter: { _id: id, ...stillInState(transition, now) }, update: finishedAs(transition, now, purgeAt) };
}

/** The holds of `sku` (of every SKU when undefined) that are RESERVED and due at `now`. */
export function dueHolds(now: Date, sku?: string) {
  return { status: 'RESERVED' as const, expiresAt: { $lte: now }, ...(sku === undefined ? {} : { sku }) };
}

/** Expires the given holds in one updateMany, each only if it is still RESERVED and due. */
export function expireHolds(ids: string[], now: Date, purgeAt: Date | null) {
  return { filter: { _id: { $in: ids }, ...stillInState('expire', now) }, update: finishedAs('expire', now, purgeAt) };
}

/** The units the given holds keep reserved: what one guarded $inc returns when they expire together. */
export function unitsOf(holds: { quantity: number }[]): number {
  return holds.reduce((sum, hold) => sum + hold.quantity, 0);
}

function stillInState(transition: Transition, now: Date) {
  return { status: 'RESERVED' as const, expiresAt: transition === 'expire' ? { $lte: now } : { $gt: now } };
}

function finishedAs(transition: Transition, now: Date, purgeAt: Date | null) {
  return { $set: { status: TARGET[transition], finishedAt: now, purgeAt } };
}

/** The stock movement that goes with a transition of a hold of `quantity` units; guarded so reserved never underflows. */
export function stockMovement(transition: Transition, sku: string, quantity: number, now: Date) {
  const inc =
    transition === 'confirm'
      ? { reservedQuantity: -quantity, soldQuantity: quantity }
      : { reservedQuantity: -quantity, availableQuantity: quantity };
  return { filter: { _id: sku, reservedQuantity: { $gte: quantity } }, update: { $inc: inc, $set: { updatedAt: now } } };
}

/** Applies admin changes only if available + reserved + sold <= total still holds against the stored document. */
export function guardedInventoryChanges(sku: string, changes: InventoryChanges, now: Date) {
  const available = changes.availableQuantity ?? '$availableQuantity';
  const total = changes.totalQuantity ?? '$totalQuantity';
  const set: Record<string, unknown> = { updatedAt: now };
  if (changes.productName !== undefined) set.productName = changes.productName;
  if (changes.totalQuantity !== undefined) set.totalQuantity = changes.totalQuantity;
  if (changes.availableQuantity !== undefined) set.availableQuantity = changes.availableQuantity;
  if (changes.maxPerCustomer !== undefined) set.maxPerCustomer = changes.maxPerCustomer;
  return {
    filter: { _id: sku, $expr: { $lte: [{ $add: [available, '$reservedQuantity', '$soldQuantity'] }, total] } },
    update: { $set: set },
  };
}

/** Takes over an abandoned claim: still in progress, lease over, same request. */
export function idempotencyTakeover(scope: string, key: string, fingerprint: string, token: string, now: Date, leaseUntil: Date) {
  return {
    filter: { scope, key, responseStatus: null, leaseUntil: { $lt: now }, fingerprint },
    update: { $set: { token, leaseUntil } },
  };
}
