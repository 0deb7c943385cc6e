import {
  AttemptOutcome,
  ClaimedDelivery,
  DeliveryBacklog,
  NewWebhookEndpoint,
  subscribes,
  WebhookAttempt,
  WebhookEndpoint,
  WebhookRepository,
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { MongoHandle } from './mongo-handle/database';
import { FANOUT_CURSOR_ID, WebhookDeliveryDocument } from './mongo-documents';
import { isDuplicateKey } from './mongo-errors';
import { eventsAfter, FEED_ORDER, feedPositionOf, readableEventsAfter } from './mongo-event-feed';
import { toClaimedDelivery, toDeliveryDocument, toEndpointDocument, toWebhookAttempt, toWebhookEndpoint } from './mongo-mappers';
import {
  advanceFanoutCursor,
  attemptsBefore,
  claimDelivery,
  claimFanoutCursor,
  FANOUT_LEASE_MS,
  fanoutPosition,
  finishedDeliveriesBefore,
  finishedDeliveriesBeforePipeline,
  firstDueOfKeysPipeline,
  purgeableEventsPipeline,
  recordDeliveryAttempt,
} from './mongo-webhook-updates';
import { MONGO_FEED_VISIBILITY_MS, MONGO_HANDLE } from './mongo.tokens';

/** Candidates read per delivery asked for, so that workers claiming at once do not all stop at the same few. */
export const CLAIM_CANDIDATES_PER_SLOT = 4;

/**
 * Endpoints, deliveries and attempts. fanOut leases the single cursor document (one instance at a time), then inserts
 * the deliveries and advances the cursor in one transaction guarded by the lease; claimDue leases each candidate with
 * one findOneAndUpdate guarded on its lease; recordAttempt writes only for the lease's holder.
 */
@Injectable()
export class MongoWebhookRepository extends WebhookRepository {
  constructor(
    @Inject(MONGO_HANDLE) private readonly handle: MongoHandle,
    @Inject(MONGO_FEED_VISIBILITY_MS) private readonly visibilityMs: number,
  ) {
    super();
  }

  async create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const doc = toEndpointDocument({ ...endpoint, disabledAt: null });
    await this.handle.webhookEndpoints.insertOne(doc);
    return toWebhookEndpoint(doc);
  }

  async list(): Promise<WebhookEndpoint[]> {
    const docs = await this.handle.webhookEndpoints.find({}).sort({ createdAt: -1, _id: -1 }).toArray();
    return docs.map(toWebhookEndpoint);
  }

  async findById(id: string): Promise<WebhookEndpoint | null> {
    const doc = await this.handle.webhookEndpoints.findOne({ _id: id });
    return doc ? toWebhookEndpoint(doc) : null;
  }

  /** The endpoint, its deliveries and its attempts, in one transaction. */
  async delete(id: string): Promise<boolean> {
    return this.handle.transaction(async (session) => {
      const { deletedCount } = await this.handle.webhookEndpoints.deleteOne({ _id: id }, { session });
      if (deletedCount === 0) return false;
      await this.handle.webhookDeliveries.deleteMany({ endpointId: id }, { session });
      await this.handle.webhookAttempts.deleteMany({ endpointId: id }, { session });
      return true;
    });
  }

  async recentAttempts(endpointId: string, limit: number): Promise<WebhookAttempt[]> {
    const docs = await this.handle.webhookAttempts.find({ endpointId }).sort({ at: -1, _id: -1 }).limit(limit).toArray();
    return docs.map(toWebhookAttempt);
  }

  /**
   * One round: lease the cursor document (another instance holding it: 0), read up to `limit` readable events after
   * it, then in one transaction insert their deliveries and move the cursor past them, guarded by the lease (lost
   * meanwhile: the transaction is aborted, nothing is inserted).
   */
  async fanOut(now: Date, limit: number): Promise<number> {
    const token = randomUUID();
    const claim = claimFanoutCursor(token, now, new Date(now.getTime() + FANOUT_LEASE_MS));
    const cursor = await this.handle.fanoutCursor
      .findOneAndUpdate(claim.filter, claim.update, { upsert: true, returnDocument: 'after' })
      .catch((error: unknown) => {
        if (isDuplicateKey(error)) return null; // leased by another instance
        throw error;
      });
    if (!cursor) return 0;
    let fannedOut = 0;
    try {
      const events = await this.handle.outbox
        .find(readableEventsAfter(fanoutPosition(cursor), new Date(Date.now() - this.visibilityMs)))
        .sort(FEED_ORDER)
        .limit(limit)
        .toArray();
      if (events.length === 0) return 0;
      const endpoints = await this.handle.webhookEndpoints.find({ disabledAt: null }).toArray();
      const deliveries = events.flatMap((event) =>
        endpoints
          .filter((endpoint) => subscribes(endpoint, event.type))
          .map((endpoint) => toDeliveryDocument(randomUUID(), endpoint._id, event, now)),
      );
      const advance = advanceFanoutCursor(token, feedPositionOf(events[events.length - 1]));
      fannedOut = await this.handle.transaction(async (session) => {
        if (deliveries.length > 0) await this.handle.webhookDeliveries.insertMany(deliveries, { session });
        const { matchedCount } = await this.handle.fanoutCursor.updateOne(advance.filter, advance.update, { session });
        if (matchedCount === 1) return events.length;
        await session.abortTransaction(); // the lease lapsed and another instance took it
        return 0;
      });
      return fannedOut;
    } finally {
      if (fannedOut === 0) {
        const release = advanceFanoutCursor(token, null);
        await this.handle.fanoutCursor.updateOne(release.filter, release.update);
      }
    }
  }

  /**
   * The oldest pending delivery of each (enabled endpoint, ordering key), when due and unleased (firstDueOfKeysPipeline),
   * each leased by its own guarded findOneAndUpdate: a candidate another worker claimed meanwhile is skipped, and the
   * next one tried (workers reading at once see the same oldest candidates, hence CLAIM_CANDIDATES_PER_SLOT). A later
   * delivery of a key is never claimed while an earlier one is pending: deliveries only leave `pending`, and fanOut
   * inserts them in feed order.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const endpoints = new Map((await this.handle.webhookEndpoints.find({ disabledAt: null }).toArray()).map((e) => [e._id, e]));
    if (endpoints.size === 0) return [];
    const candidates = await this.handle.webhookDeliveries
      .aggregate<WebhookDeliveryDocument>(firstDueOfKeysPipeline([...endpoints.keys()], now, limit * CLAIM_CANDIDATES_PER_SLOT))
      .toArray();
    const claimed: { delivery: WebhookDeliveryDocument; token: string }[] = [];
    for (const candidate of candidates) {
      if (claimed.length === limit) break;
      const token = randomUUID();
      const { filter, update } = claimDelivery(candidate._id, token, now, leaseUntil);
      const delivery = await this.handle.webhookDeliveries.findOneAndUpdate(filter, update, { returnDocument: 'after' });
      if (delivery) claimed.push({ delivery, token });
    }
    if (claimed.length === 0) return [];
    const events = new Map(
      (await this.handle.outbox.find({ _id: { $in: claimed.map(({ delivery }) => delivery.eventId) } }).toArray()).map((e) => [e._id, e]),
    );
    return claimed.flatMap(({ delivery, token }) => {
      const event = events.get(delivery.eventId);
      return event ? [toClaimedDelivery(delivery, token, endpoints.get(delivery.endpointId)!, event)] : [];
    });
  }

  /** The delivery's new state and the attempt (and, on 410, the endpoint disabled) in one transaction, for the lease's holder only. */
  async recordAttempt(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean> {
    return this.handle.transaction(async (session) => {
      const { filter, update } = recordDeliveryAttempt(claim, outcome);
      const delivery = await this.handle.webhookDeliveries.findOneAndUpdate(filter, update, { session });
      if (!delivery) return false;
      const { result } = outcome;
      await this.handle.webhookAttempts.insertOne(
        {
          deliveryId: delivery._id,
          endpointId: delivery.endpointId,
          eventId: delivery.eventId,
          eventType: delivery.eventType,
          attempt: claim.attempt,
          statusCode: outcome.statusCode,
          error: outcome.error,
          durationMs: outcome.durationMs,
          at: outcome.at,
          nextRetryAt: result.status === 'retry' ? result.nextAttemptAt : null,
        },
        { session },
      );
      if (result.status === 'endpoint_gone') {
        await this.handle.webhookEndpoints.updateOne(
          { _id: delivery.endpointId, disabledAt: null },
          { $set: { disabledAt: outcome.at } },
          { session },
        );
      }
      return true;
    });
  }

  /**
   * Pending deliveries of enabled endpoints (a disabled endpoint's are never sent) plus events not yet fanned out
   * (readable or not), and the oldest event timestamp among them.
   */
  async backlog(): Promise<DeliveryBacklog> {
    const enabled = (await this.handle.webhookEndpoints.find({ disabledAt: null }, { projection: { _id: 1 } }).toArray()).map((e) => e._id);
    const pending = { status: 'pending' as const, endpointId: { $in: enabled } };
    const cursor = await this.handle.fanoutCursor.findOne({ _id: FANOUT_CURSOR_ID });
    const notFannedOut = eventsAfter(fanoutPosition(cursor));
    const [deliveries, oldestDelivery, events, oldestEvent] = await Promise.all([
      this.handle.webhookDeliveries.countDocuments(pending),
      this.handle.webhookDeliveries.findOne(pending, { sort: { eventTimestamp: 1 }, projection: { eventTimestamp: 1 } }),
      this.handle.outbox.countDocuments(notFannedOut),
      this.handle.outbox.findOne(notFannedOut, { sort: { timestamp: 1 }, projection: { timestamp: 1 } }),
    ]);
    const times = [oldestDelivery?.eventTimestamp, oldestEvent?.timestamp].filter((at): at is Date => at !== undefined);
    return {
      pending: deliveries + events,
      oldestAt: times.length > 0 ? new Date(Math.min(...times.map((at) => at.getTime()))) : null,
    };
  }

  /**
   * Attempts, then finished deliveries, then fanned-out events no pending delivery references. deleteMany has no limit
   * (a delete statement's limit is all or one), so each step reads up to `limit` ids and deletes those, guarded again
   * by its filter; purges running at once may read the same ids, and each row is counted by the one that deleted it.
   */
  async purgeBefore(cutoff: Date, limit: number): Promise<number> {
    const oldAttempts = attemptsBefore(cutoff);
    const attempts = await this.handle.webhookAttempts
      .find(oldAttempts, { projection: { _id: 1 } })
      .sort({ at: 1 })
      .limit(limit)
      .toArray();
    let purged = 0;
    if (attempts.length > 0) {
      const { deletedCount } = await this.handle.webhookAttempts.deleteMany({ _id: { $in: attempts.map((a) => a._id) }, ...oldAttempts });
      purged += deletedCount;
    }
    if (purged === limit) return purged;

    const deliveries = (
      await this.handle.webhookDeliveries.aggregate<{ _id: string }>(finishedDeliveriesBeforePipeline(cutoff, limit - purged)).toArray()
    ).map((d) => d._id);
    if (deliveries.length > 0) {
      const finished = { _id: { $in: deliveries }, ...finishedDeliveriesBefore(cutoff) };
      purged += (await this.handle.webhookDeliveries.deleteMany(finished)).deletedCount;
      // As a foreign key would: what is left of their attempts (none unless another purge read them) goes with them.
      await this.handle.webhookAttempts.deleteMany({ deliveryId: { $in: deliveries } });
    }
    if (purged === limit) return purged;

    const fannedOutTo = fanoutPosition(await this.handle.fanoutCursor.findOne({ _id: FANOUT_CURSOR_ID }));
    if (!fannedOutTo) return purged;
    const events = (
      await this.handle.outbox.aggregate<{ _id: string }>(purgeableEventsPipeline(cutoff, fannedOutTo, limit - purged)).toArray()
    ).map((e) => e._id);
    if (events.length > 0) purged += (await this.handle.outbox.deleteMany({ _id: { $in: events } })).deletedCount;
    return purged;
  }
}
