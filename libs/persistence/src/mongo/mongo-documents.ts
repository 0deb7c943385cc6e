import type { mongo } from 'mongoose';
import { ApiKeyScope, EventData, EventType, MovementType, ReservationStatus, WebhookEventFilter } from '@app/core';

/** Stored shapes. They never leave the adapter: mappers turn them into the core's types. */
export interface InventoryDocument {
  _id: string; // the SKU
  productName: string;
  totalQuantity: number;
  availableQuantity: number;
  reservedQuantity: number;
  soldQuantity: number;
  /** Absent in documents written before the cap existed: read as null. */
  maxPerCustomer?: number | null;
  /** Absent in documents written before low-stock events existed: read as null. */
  lowStockThreshold?: number | null;
  /**
   * The id of the SKU's latest stock movement: every write that changes counters increments it in the same guarded
   * update, and the movement takes the new value. Absent only in documents from before the ledger, until startup
   * writes their opening movement (writeOpeningMovements).
   */
  ledgerSequence?: number;
  createdAt: Date;
  updatedAt: Date;
}

/** One line of a hold, stored inside it: holds are read and written whole, so a line never needs its own document. */
export interface HoldLineDocument {
  sku: string;
  quantity: number;
}

export interface ReservationDocument {
  _id: string; // the reservation id (UUID)
  /** Canonical form: one line per SKU, in SKU byte order, never empty. */
  items: HoldLineDocument[];
  userId: string;
  status: ReservationStatus;
  expiresAt: Date;
  /** An API key id, or 'anonymous'; documents from before API keys have none until startup backfills it. */
  clientId: string;
  idempotencyKey: string;
  createdAt: Date;
  finishedAt: Date | null;
  /** Set only when the hold finishes; the TTL index deletes the document then. Active holds never have it. */
  purgeAt?: Date | null;
}

/**
 * A hold as written before carts: one SKU and quantity at the top level, no items. Startup migrates them
 * (migrateHoldsToLines); the mapper still reads one correctly before that.
 */
export interface SingleSkuReservationDocument extends Omit<ReservationDocument, 'items'> {
  sku: string;
  quantity: number;
  items?: undefined;
}

export type StoredReservationDocument = ReservationDocument | SingleSkuReservationDocument;

export interface IdempotencyDocument {
  scope: string;
  key: string;
  fingerprint: string;
  token: string;
  leaseUntil: Date;
  responseStatus: number | null;
  responseBody: unknown;
  createdAt: Date;
  completedAt: Date | null;
  purgeAt?: Date | null;
}

export interface ApiKeyDocument {
  _id: string; // the key id (UUID)
  name: string;
  prefix: string;
  secretHash: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  revokedAt: Date | null;
}

/** One stock movement; no reference to the item, so the history outlives a deleted SKU. */
export interface StockMovementDocument {
  _id: string; // movementDocumentId(sku, id): unique per SKU and id
  id: number;
  sku: string;
  type: MovementType;
  availableDelta: number;
  reservedDelta: number;
  soldDelta: number;
  totalDelta: number;
  reservationId: string | null;
  reason: string | null;
  actor: string | null;
  at: Date;
}

/** One outbox event, written in the transaction of the change it tells. */
export interface OutboxEventDocument {
  _id: string; // the event id (UUID)
  type: EventType;
  orderingKey: string;
  /** The change's time, as the core passed it. */
  timestamp: Date;
  /**
   * This process's wall clock when the transaction built the event (never going back within the process): the clock
   * of the feed's visibility window, and the first key of the feed order (writtenAt, position, _id).
   */
  writtenAt: Date;
  /** Increases with every event this process writes: keeps the order of its events within one millisecond. */
  position: number;
  data: EventData;
}

export interface WebhookEndpointDocument {
  _id: string; // the endpoint id (UUID)
  url: string;
  events: WebhookEventFilter[];
  description: string | null;
  secret: string;
  createdAt: Date;
  disabledAt: Date | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** One event to one endpoint. The event's feed position (eventWrittenAt, eventPosition, eventId) orders deliveries of one key. */
export interface WebhookDeliveryDocument {
  _id: string; // the delivery id (UUID)
  endpointId: string;
  eventId: string;
  eventType: EventType;
  orderingKey: string;
  eventWrittenAt: Date;
  eventPosition: number;
  eventTimestamp: Date;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  leaseToken: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

export interface WebhookAttemptDocument {
  /** The driver's ObjectId: increases with every insert of a process, so it breaks ties of `at` newest first. */
  _id?: mongo.ObjectId;
  deliveryId: string;
  endpointId: string;
  eventId: string;
  eventType: EventType;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
  nextRetryAt: Date | null;
}

/** The single document recording how far the outbox has been fanned out, and which instance is fanning out now. */
export interface FanoutCursorDocument {
  _id: string; // FANOUT_CURSOR_ID
  /** The feed position of the last event fanned out; absent or null before the first. */
  afterWrittenAt?: Date | null;
  afterPosition?: number | null;
  afterEventId?: string | null;
  leaseToken?: string | null;
  leaseUntil?: Date | null;
}

export const FANOUT_CURSOR_ID = 'outbox';

/**
 * Our collections. Holds are not in `reservations`: that is the original service's collection (mongoose's default
 * name), whose documents (ObjectId ids, no idempotency key) would break the unique index and be seen by the sweeper.
 */
export const COLLECTIONS = {
  inventory: 'inventory_items',
  reservations: 'reservation_holds',
  idempotency: 'idempotency_records',
  apiKeys: 'api_keys',
  movements: 'stock_movements',
  outbox: 'outbox_events',
  webhookEndpoints: 'webhook_endpoints',
  webhookDeliveries: 'webhook_deliveries',
  webhookAttempts: 'webhook_attempts',
  fanoutCursor: 'webhook_fanout_cursor',
} as const;
