import { HoldLine, InventoryChanges, mergeLines, NewReservation, ReservationStatus } from '@app/core';
import { InventoryDocument, StoredReservationDocument } from './mongo-documents';
import { toLineDocument } from './mongo-mappers';

/**
 * Filters and update documents of the guarded writes, kept pure so they can be checked without a server.
 * Every stock change is one findOneAndUpdate whose filter is the guard; every hold transition is
 * conditional on status RESERVED.
 */

/** Takes `quantity` units only while that many are available. */
export function reserveStock(sku: string, quantity: number, now: Date) {
  return {
    filter: { _id: sku, availableQuantity: { $gte: quantity } },
    update: { $inc: { availableQuantity: -quantity, reservedQuantity: quantity, ledgerSequence: 1 }, $set: { updatedAt: now } },
  };
}

export type Transition = 'confirm' | 'cancel' | 'expire';

const TARGET: Record<Transition, ReservationStatus> = { confirm: 'CONFIRMED', cancel: 'CANCELLED', expire: 'EXPIRED' };

/** RESERVED -> target; confirm and cancel only before expiry, expire only from expiry on. */
export function holdTransition(transition: Transition, id: string, now: Date, purgeAt: Date | null) {
  return { filter: { _id: id, ...stillInState(transition, now) }, update: finishedAs(transition, now, purgeAt) };
}

/** The RESERVED holds due at `now`: all of them, or those with a line of one of `skus` (multikey index on items.sku). */
export function dueHolds(now: Date, skus?: readonly string[]) {
  return { status: 'RESERVED' as const, expiresAt: { $lte: now }, ...(skus === undefined ? {} : { 'items.sku': { $in: [...skus] } }) };
}

/** Expires the given holds in one updateMany, each only if it is still RESERVED and due. */
export function expireHolds(ids: string[], now: Date, purgeAt: Date | null) {
  return { filter: { _id: { $in: ids }, ...stillInState('expire', now) }, update: finishedAs('expire', now, purgeAt) };
}

function stillInState(transition: Transition, now: Date) {
  return transition === 'expire' ? { status: 'RESERVED' as const, expiresAt: { $lte: now } } : activeAt(now);
}

/** RESERVED and not due at `now`: the only state in which a hold is confirmed, cancelled, extended or shrunk. */
function activeAt(now: Date) {
  return { status: 'RESERVED' as const, expiresAt: { $gt: now } };
}

function finishedAs(transition: Transition, now: Date, purgeAt: Date | null) {
  return { $set: { status: TARGET[transition], finishedAt: now, purgeAt } };
}

/**
 * The stock write that goes with a transition of `quantity` units of a SKU, appending `steps` movements (one per hold
 * whose lines it moves); guarded so reserved never underflows.
 */
export function stockWrite(transition: Transition, sku: string, quantity: number, steps: number, now: Date) {
  const inc =
    transition === 'confirm'
      ? { reservedQuantity: -quantity, soldQuantity: quantity }
      : { reservedQuantity: -quantity, availableQuantity: quantity };
  return {
    filter: { _id: sku, reservedQuantity: { $gte: quantity } },
    update: { $inc: { ...inc, ledgerSequence: steps }, $set: { updatedAt: now } },
  };
}

/**
 * The stock writes of `lines` (of one hold or of several: summed per SKU, one movement per line), one guarded $inc per
 * SKU in SKU byte order, the global lock order.
 */
export function stockWrites(transition: Transition, lines: readonly HoldLine[], now: Date) {
  const steps = new Map<string, number>();
  for (const line of lines) steps.set(line.sku, (steps.get(line.sku) ?? 0) + 1);
  return mergeLines(lines).map((line) => ({
    sku: line.sku,
    ...stockWrite(transition, line.sku, line.quantity, steps.get(line.sku)!, now),
  }));
}

/**
 * Matches the hold only while its lines are still exactly those read (the stored array as it came back, so field
 * order agrees), or, for a hold written before carts, its single SKU and quantity.
 */
export function sameLinesAs(stored: StoredReservationDocument) {
  return stored.items !== undefined ? { items: stored.items } : { items: { $exists: false }, sku: stored.sku, quantity: stored.quantity };
}

/** Leaves `remaining` (canonical, not empty) as the lines of a hold that is still active and still holds what was read. */
export function shrinkHold(stored: StoredReservationDocument, remaining: readonly HoldLine[], now: Date) {
  return {
    filter: { _id: stored._id, ...activeAt(now), ...sameLinesAs(stored) },
    update: { $set: { items: remaining.map(toLineDocument) }, $unset: { sku: '' as const, quantity: '' as const } },
  };
}

/** Cancels a hold that is still active and still holds what was read: releasing every unit left ends it. */
export function cancelWholeHold(stored: StoredReservationDocument, now: Date, purgeAt: Date | null) {
  const { filter, update } = holdTransition('cancel', stored._id, now, purgeAt);
  return { filter: { ...filter, ...sameLinesAs(stored) }, update };
}

/**
 * Moves expiresAt forward by `seconds` in one guarded statement: only while RESERVED and not due at `now`, and only if
 * the new expiry stays within `maxLifetimeSeconds` of createdAt (withinLifetime, as $expr on the stored dates). The
 * update is an aggregation pipeline, as `$inc` cannot add to a date.
 */
export function extendHold(id: string, seconds: number, maxLifetimeSeconds: number, now: Date) {
  const extended = { $add: ['$expiresAt', seconds * 1000] };
  return {
    filter: {
      _id: id,
      ...activeAt(now),
      $expr: { $lte: [extended, { $add: ['$createdAt', maxLifetimeSeconds * 1000] }] },
    },
    update: [{ $set: { expiresAt: extended } }],
  };
}

/**
 * Units of each of `skus` in the customer's other active holds (RESERVED, not due at the hold's time): the holds are
 * found by the index on (items.sku, userId), then only their lines of those SKUs are summed.
 */
export function customerUnitsPipeline(hold: Pick<NewReservation, 'id' | 'userId' | 'createdAt'>, skus: readonly string[]) {
  return [
    {
      $match: {
        'items.sku': { $in: [...skus] },
        userId: hold.userId,
        status: 'RESERVED',
        expiresAt: { $gt: hold.createdAt },
        _id: { $ne: hold.id },
      },
    },
    { $unwind: '$items' },
    { $match: { 'items.sku': { $in: [...skus] } } },
    { $group: { _id: '$items.sku', units: { $sum: '$items.quantity' } } },
  ];
}

/** The sums of the SKU's lines over RESERVED and over CONFIRMED holds (one result per status that has any). */
export function lineSumsPipeline(sku: string) {
  return [
    { $match: { 'items.sku': sku, status: { $in: ['RESERVED', 'CONFIRMED'] } } },
    { $unwind: '$items' },
    { $match: { 'items.sku': sku } },
    { $group: { _id: '$status', quantity: { $sum: '$items.quantity' } } },
  ];
}

/**
 * Startup migration of holds written before carts: top-level sku and quantity become one line. A pipeline update, so
 * each document's own values move; a migrated hold no longer matches the filter, so running it again is a no-op.
 */
export const MIGRATE_HOLDS_TO_LINES = {
  filter: { items: { $exists: false } },
  update: [{ $set: { items: [{ sku: '$sku', quantity: '$quantity' }] } }, { $unset: ['sku', 'quantity'] }],
};

/**
 * Startup's opening of the ledger: a SKU from before it has no ledgerSequence; setting it to 1 (the opening movement's
 * id), guarded on its absence, claims the SKU for exactly one writer.
 */
export const OPEN_LEDGER = {
  filter: { ledgerSequence: { $exists: false } },
  update: { $set: { ledgerSequence: 1 } },
};

/**
 * Applies admin changes only if available + reserved + sold <= total still holds against the stored document. A change
 * that sets a counter takes the next ledger id; the repository appends the movement only if a counter really changed
 * (compared with the document returned as it was before), so setting one to its value leaves a gap in the ids.
 */
export function guardedInventoryChanges(sku: string, changes: InventoryChanges, now: Date) {
  const available = changes.availableQuantity ?? '$availableQuantity';
  const total = changes.totalQuantity ?? '$totalQuantity';
  const set: Partial<InventoryDocument> = { updatedAt: now };
  if (changes.productName !== undefined) set.productName = changes.productName;
  if (changes.totalQuantity !== undefined) set.totalQuantity = changes.totalQuantity;
  if (changes.availableQuantity !== undefined) set.availableQuantity = changes.availableQuantity;
  if (changes.maxPerCustomer !== undefined) set.maxPerCustomer = changes.maxPerCustomer;
  if (changes.lowStockThreshold !== undefined) set.lowStockThreshold = changes.lowStockThreshold;
  const setsCounter = changes.totalQuantity !== undefined || changes.availableQuantity !== undefined;
  return {
    filter: { _id: sku, $expr: { $lte: [{ $add: [available, '$reservedQuantity', '$soldQuantity'] }, total] } },
    update: setsCounter ? { $set: set, $inc: { ledgerSequence: 1 } } : { $set: set },
  };
}

/**
 * The id of the last movement of each of `skus` that has any (an item deleted before): a SKU created again continues
 * its ledger. Sorted like the index (sku, id desc), so $first reads one entry per SKU.
 */
export function lastMovementIdsPipeline(skus: readonly string[]) {
  return [{ $match: { sku: { $in: [...skus] } } }, { $sort: { sku: 1, id: -1 } }, { $group: { _id: '$sku', id: { $first: '$id' } } }];
}

/** The sums of the SKU's movement deltas (no result when it has none). */
export function ledgerSumsPipeline(sku: string) {
  return [
    { $match: { sku } },
    {
      $group: {
        _id: null,
        totalQuantity: { $sum: '$totalDelta' },
        availableQuantity: { $sum: '$availableDelta' },
        reservedQuantity: { $sum: '$reservedDelta' },
        soldQuantity: { $sum: '$soldDelta' },
      },
    },
    { $project: { _id: 0 } },
  ];
}

/** Takes over an abandoned claim: still in progress, lease over, same request. */
export function idempotencyTakeover(scope: string, key: string, fingerprint: string, token: string, now: Date, leaseUntil: Date) {
  return {
    filter: { scope, key, responseStatus: null, leaseUntil: { $lt: now }, fingerprint },
    update: { $set: { token, leaseUntil } },
  };
}
