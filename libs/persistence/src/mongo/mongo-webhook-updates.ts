import { AttemptOutcome, ClaimedDelivery } from '@app/core';
import { COLLECTIONS, DeliveryStatus, FANOUT_CURSOR_ID, FanoutCursorDocument, WebhookDeliveryDocument } from './mongo-documents';
import { eventsAfter, FeedPosition } from './mongo-event-feed';

/**
 * Filters, updates and pipelines of the webhook writes, kept pure so they can be checked without a server. Leases are
 * claimed by one findOneAndUpdate whose filter says the lease is free or lapsed, so two workers never hold one at once.
 */

/** How long one fan-out round may hold the cursor document before another instance may take it over. */
export const FANOUT_LEASE_MS = 30_000;

/** Free, or lapsed at `now` (`leaseUntil: null` also matches a document that never had one). */
function leaseFree(now: Date) {
  return { $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] };
}

/**
 * Leases the fan-out cursor to `token`. Used with upsert: the first round creates the document; while another
 * instance holds the lease the filter matches nothing and the upsert's insert fails on the _id (11000): skip the round.
 */
export function claimFanoutCursor(token: string, now: Date, leaseUntil: Date) {
  return { filter: { _id: FANOUT_CURSOR_ID, ...leaseFree(now) }, update: { $set: { leaseToken: token, leaseUntil } } };
}

/** Moves the cursor past the events fanned out (or leaves it, `to` null) and frees the lease, only for its holder. */
export function advanceFanoutCursor(token: string, to: FeedPosition | null) {
  const position = to ? { afterWrittenAt: to.at, afterPosition: to.position, afterEventId: to.id } : {};
  return { filter: { _id: FANOUT_CURSOR_ID, leaseToken: token }, update: { $set: { ...position, leaseToken: null, leaseUntil: null } } };
}

/** Where the cursor document says fan-out has reached (null: nothing fanned out yet). */
export function fanoutPosition(cursor: FanoutCursorDocument | null): FeedPosition | null {
  if (!cursor?.afterWrittenAt || typeof cursor.afterPosition !== 'number' || !cursor.afterEventId) return null;
  return { at: cursor.afterWrittenAt, position: cursor.afterPosition, id: cursor.afterEventId };
}

/**
 * The deliveries claimDue may lease: of each (endpoint, ordering key) of the given enabled endpoints, only the OLDEST
 * pending delivery (event order), and only when it is due and its lease free or lapsed, oldest first. A key whose oldest
 * delivery waits for a retry, or is leased, has nothing to claim: later events of one hold or SKU wait their turn.
 * The first $sort follows the index webhook_deliveries_pending_by_key.
 */
export function firstDueOfKeysPipeline(endpointIds: readonly string[], now: Date, limit: number) {
  return [
    { $match: { status: 'pending', endpointId: { $in: [...endpointIds] } } },
    { $sort: { endpointId: 1, orderingKey: 1, eventWrittenAt: 1, eventPosition: 1, eventId: 1 } },
    { $group: { _id: { endpointId: '$endpointId', orderingKey: '$orderingKey' }, first: { $first: '$$ROOT' } } },
    { $replaceRoot: { newRoot: '$first' } },
    { $match: { nextAttemptAt: { $lte: now }, ...leaseFree(now) } },
    { $sort: { eventWrittenAt: 1, eventPosition: 1, eventId: 1 } },
    { $limit: limit },
  ];
}

/** Leases one candidate to `token`, only while it is still pending, due and unleased. */
export function claimDelivery(id: string, token: string, now: Date, leaseUntil: Date) {
  return {
    filter: { _id: id, status: 'pending' as const, nextAttemptAt: { $lte: now }, ...leaseFree(now) },
    update: { $set: { leaseToken: token, leaseUntil } },
  };
}

/** Stores a try's result on the delivery, only for the holder of its lease; the lease is freed. */
export function recordDeliveryAttempt(claim: Pick<ClaimedDelivery, 'deliveryId' | 'token' | 'attempt'>, outcome: AttemptOutcome) {
  const set: Partial<WebhookDeliveryDocument> = { attempts: claim.attempt, leaseToken: null, leaseUntil: null };
  const { result } = outcome;
  if (result.status === 'delivered') Object.assign(set, { status: 'delivered', deliveredAt: outcome.at });
  else if (result.status === 'retry') set.nextAttemptAt = result.nextAttemptAt;
  else set.status = 'failed';
  return { filter: { _id: claim.deliveryId, status: 'pending' as const, leaseToken: claim.token }, update: { $set: set } };
}

/** Retention: attempts made before `cutoff`. */
export function attemptsBefore(cutoff: Date) {
  return { at: { $lt: cutoff } };
}

/** Retention: up to `limit` ids of deliveries delivered or given up, made before `cutoff` and not tried since. */
export function finishedDeliveriesBeforePipeline(cutoff: Date, limit: number) {
  return [
    { $match: finishedDeliveriesBefore(cutoff) },
    { $sort: { createdAt: 1 } },
    {
      $lookup: {
        from: COLLECTIONS.webhookAttempts,
        localField: '_id',
        foreignField: 'deliveryId',
        pipeline: [{ $match: { at: { $gte: cutoff } } }, { $limit: 1 }, { $project: { _id: 1 } }],
        as: 'triedSince',
      },
    },
    { $match: { triedSince: { $size: 0 } } },
    { $limit: limit },
    { $project: { _id: 1 } },
  ];
}

export function finishedDeliveriesBefore(cutoff: Date) {
  const finished: DeliveryStatus[] = ['delivered', 'failed'];
  return { status: { $in: finished }, createdAt: { $lt: cutoff } };
}

/**
 * Retention: up to `limit` ids of events whose change was before `cutoff`, fanned out (at or before `fannedOutTo`) and
 * referenced by no pending delivery.
 */
export function purgeableEventsPipeline(cutoff: Date, fannedOutTo: FeedPosition, limit: number) {
  return [
    { $match: { timestamp: { $lt: cutoff }, $nor: [eventsAfter(fannedOutTo)] } },
    { $sort: { timestamp: 1 } },
    {
      $lookup: {
        from: COLLECTIONS.webhookDeliveries,
        localField: '_id',
        foreignField: 'eventId',
        pipeline: [{ $match: { status: 'pending' } }, { $limit: 1 }, { $project: { _id: 1 } }],
        as: 'pending',
      },
    },
    { $match: { pending: { $size: 0 } } },
    { $limit: limit },
    { $project: { _id: 1 } },
  ];
}
