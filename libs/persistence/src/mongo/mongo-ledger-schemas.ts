import { EVENT_TYPES, MOVEMENT_TYPES } from '@app/core';
import { Schema } from 'mongoose';
import {
  COLLECTIONS,
  FanoutCursorDocument,
  OutboxEventDocument,
  StockMovementDocument,
  WebhookAttemptDocument,
  WebhookDeliveryDocument,
  WebhookEndpointDocument,
} from './mongo-documents';

/**
 * The ledger, the outbox and the webhook collections. The adapter writes them through the driver (documents built by
 * the mappers); the schemas declare their indexes, which startup reconciles (indexSteps).
 */

const options = { versionKey: false, autoIndex: false, autoCreate: false, strict: 'throw' } as const;

export const movementSchema = new Schema<StockMovementDocument>(
  {
    _id: { type: String, required: true },
    id: { type: Number, required: true },
    sku: { type: String, required: true },
    type: { type: String, required: true, enum: MOVEMENT_TYPES },
    availableDelta: { type: Number, required: true },
    reservedDelta: { type: Number, required: true },
    soldDelta: { type: Number, required: true },
    totalDelta: { type: Number, required: true },
    reservationId: { type: String, default: null },
    reason: { type: String, default: null },
    actor: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { ...options, collection: COLLECTIONS.movements },
);
/** A SKU's movements newest first (paging by id), its last id when it is created again, its sums for reconcile. */
movementSchema.index({ sku: 1, id: -1 }, { name: 'stock_movements_sku_id' });

export const outboxSchema = new Schema<OutboxEventDocument>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true, enum: EVENT_TYPES },
    orderingKey: { type: String, required: true },
    timestamp: { type: Date, required: true },
    writtenAt: { type: Date, required: true },
    position: { type: Number, required: true },
    data: { type: Schema.Types.Mixed, required: true },
  },
  { ...options, collection: COLLECTIONS.outbox },
);
/** The feed order: readAfter and fanOut read on from a cursor in it. */
outboxSchema.index({ writtenAt: 1, position: 1, _id: 1 }, { name: 'outbox_events_feed_order' });
/** Retention: the events old enough to purge. */
outboxSchema.index({ timestamp: 1 }, { name: 'outbox_events_age' });

export const webhookEndpointSchema = new Schema<WebhookEndpointDocument>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    events: { type: [String], required: true },
    description: { type: String, default: null },
    secret: { type: String, required: true },
    createdAt: { type: Date, required: true },
    disabledAt: { type: Date, default: null },
  },
  { ...options, collection: COLLECTIONS.webhookEndpoints },
);

export const webhookDeliverySchema = new Schema<WebhookDeliveryDocument>(
  {
    _id: { type: String, required: true },
    endpointId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true, enum: EVENT_TYPES },
    orderingKey: { type: String, required: true },
    eventWrittenAt: { type: Date, required: true },
    eventPosition: { type: Number, required: true },
    eventTimestamp: { type: Date, required: true },
    status: { type: String, required: true, enum: ['pending', 'delivered', 'failed'] },
    attempts: { type: Number, required: true },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    leaseToken: { type: String, default: null },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { ...options, collection: COLLECTIONS.webhookDeliveries },
);
/** claimDue: the oldest pending delivery of each (endpoint, ordering key), in event order. */
webhookDeliverySchema.index(
  { endpointId: 1, orderingKey: 1, eventWrittenAt: 1, eventPosition: 1, eventId: 1 },
  { name: 'webhook_deliveries_pending_by_key', partialFilterExpression: { status: 'pending' } },
);
/** Deleting an endpoint deletes its deliveries, whatever their status. */
webhookDeliverySchema.index({ endpointId: 1, status: 1 }, { name: 'webhook_deliveries_endpoint' });
/** backlog: the oldest pending delivery's event. */
webhookDeliverySchema.index(
  { eventTimestamp: 1 },
  { name: 'webhook_deliveries_pending_age', partialFilterExpression: { status: 'pending' } },
);
/** Retention: finished deliveries old enough to purge, and whether an event still has a pending delivery. */
webhookDeliverySchema.index({ status: 1, createdAt: 1 }, { name: 'webhook_deliveries_status_age' });
webhookDeliverySchema.index({ eventId: 1, status: 1 }, { name: 'webhook_deliveries_event' });

export const webhookAttemptSchema = new Schema<WebhookAttemptDocument>(
  {
    deliveryId: { type: String, required: true },
    endpointId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true, enum: EVENT_TYPES },
    attempt: { type: Number, required: true },
    statusCode: { type: Number, default: null },
    error: { type: String, default: null },
    durationMs: { type: Number, required: true },
    at: { type: Date, required: true },
    nextRetryAt: { type: Date, default: null },
  },
  { ...options, collection: COLLECTIONS.webhookAttempts },
);
/** An endpoint's recent attempts, newest first (and deleted with it). */
webhookAttemptSchema.index({ endpointId: 1, at: -1, _id: -1 }, { name: 'webhook_attempts_endpoint_recent' });
/** Retention: the attempts old enough to purge, and whether a delivery was tried since. */
webhookAttemptSchema.index({ at: 1 }, { name: 'webhook_attempts_age' });
webhookAttemptSchema.index({ deliveryId: 1, at: 1 }, { name: 'webhook_attempts_delivery' });

export const fanoutCursorSchema = new Schema<FanoutCursorDocument>(
  {
    _id: { type: String, required: true },
    afterWrittenAt: { type: Date, default: null },
    afterPosition: { type: Number, default: null },
    afterEventId: { type: String, default: null },
    leaseToken: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
  },
  { ...options, collection: COLLECTIONS.fanoutCursor },
);
