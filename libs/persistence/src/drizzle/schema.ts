import {
  ANONYMOUS_CLIENT_ID,
  API_KEY_NAME_MAX_LENGTH,
  CLIENT_ID_MAX_LENGTH,
  EVENT_TYPES,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  MAX_QUANTITY,
  MOVEMENT_REASON_MAX_LENGTH,
  MOVEMENT_TYPES,
  RESERVATION_STATUSES,
  SKU_MAX_LENGTH,
  STOCK_BUCKETS_MAX,
  USER_ID_MAX_LENGTH,
  WEBHOOK_DESCRIPTION_MAX_LENGTH,
  WEBHOOK_URL_MAX_LENGTH,
} from '@app/core';
import { sql, SQL } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  pgView,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/** A 64-bit transaction id, read as text (it may pass 2^53). */
const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });

function inList(values: readonly string[]): SQL {
  return sql.raw(values.map((value) => `'${value}'`).join(', '));
}

/** Stock rules are enforced here too, so no code path (or hand-written SQL) can break them. */
export const inventoryItems = pgTable(
  'inventory_items',
  {
    sku: varchar('sku', { length: SKU_MAX_LENGTH }).primaryKey(),
    productName: text('product_name').notNull(),
    totalQuantity: integer('total_quantity').notNull(),
    availableQuantity: integer('available_quantity').notNull(),
    reservedQuantity: integer('reserved_quantity').notNull().default(0),
    soldQuantity: integer('sold_quantity').notNull().default(0),
    /** Most units one customer may hold at once; null: the configured default applies, if any. */
    maxPerCustomer: integer('max_per_customer'),
    /** `inventory.low_stock` fires when available falls below it; null: never. */
    lowStockThreshold: integer('low_stock_threshold'),
    /** 1: the counters live in this row. N > 1: they live in N inventory_stock_buckets rows; this row's are 0. */
    stockBuckets: smallint('stock_buckets').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('inventory_total_non_negative', sql`${t.totalQuantity} >= 0`),
    check('inventory_total_bounded', sql`${t.totalQuantity} <= ${sql.raw(String(MAX_QUANTITY))}`),
    check('inventory_available_non_negative', sql`${t.availableQuantity} >= 0`),
    check('inventory_reserved_non_negative', sql`${t.reservedQuantity} >= 0`),
    check('inventory_sold_non_negative', sql`${t.soldQuantity} >= 0`),
    check('inventory_within_total', sql`${t.availableQuantity}::bigint + ${t.reservedQuantity} + ${t.soldQuantity} <= ${t.totalQuantity}`),
    check('inventory_max_per_customer_positive', sql`${t.maxPerCustomer} > 0`),
    check('inventory_low_stock_threshold_positive', sql`${t.lowStockThreshold} > 0`),
    check('inventory_stock_buckets_range', sql`${t.stockBuckets} BETWEEN 1 AND ${sql.raw(String(STOCK_BUCKETS_MAX))}`),
    index('inventory_items_created_at_idx').on(t.createdAt),
  ],
);

/**
 * A flash-sale SKU's stock spread over `stock_buckets` rows, so concurrent reserves lock different rows (migration
 * 0009 has the view inventory_levels, a SKU's counters = its row's + its buckets', and the plpgsql functions that move
 * them). Reserved units are interchangeable between buckets: no hold records which buckets it took from.
 */
export const inventoryStockBuckets = pgTable(
  'inventory_stock_buckets',
  {
    sku: varchar('sku', { length: SKU_MAX_LENGTH })
      .notNull()
      .references(() => inventoryItems.sku, { onDelete: 'cascade' }),
    bucket: smallint('bucket').notNull(),
    availableQuantity: integer('available_quantity').notNull().default(0),
    reservedQuantity: integer('reserved_quantity').notNull().default(0),
    soldQuantity: integer('sold_quantity').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.sku, t.bucket] }),
    check('inventory_stock_buckets_bucket_range', sql`${t.bucket} BETWEEN 1 AND ${sql.raw(String(STOCK_BUCKETS_MAX))}`),
    check('inventory_stock_buckets_available_non_negative', sql`${t.availableQuantity} >= 0`),
    check('inventory_stock_buckets_reserved_non_negative', sql`${t.reservedQuantity} >= 0`),
    check('inventory_stock_buckets_sold_non_negative', sql`${t.soldQuantity} >= 0`),
  ],
);

/** inventory_items with each SKU's counters summed over its row and its buckets (migration 0009): every reader uses it. */
export const inventoryLevels = pgView('inventory_levels', {
  sku: varchar('sku', { length: SKU_MAX_LENGTH }).notNull(),
  productName: text('product_name').notNull(),
  totalQuantity: integer('total_quantity').notNull(),
  availableQuantity: integer('available_quantity').notNull(),
  reservedQuantity: integer('reserved_quantity').notNull(),
  soldQuantity: integer('sold_quantity').notNull(),
  maxPerCustomer: integer('max_per_customer'),
  lowStockThreshold: integer('low_stock_threshold'),
  stockBuckets: smallint('stock_buckets').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
}).existing();

/**
 * Holds (carts): the hold's state here, its lines in reservation_lines. The idempotency key is unique per client here
 * too: a retry that slips past the idempotency records (a crash between commit and response) finds the existing hold
 * instead of inserting a second.
 */
export const reservations = pgTable(
  'reservations',
  {
    id: uuid('id').primaryKey(),
    userId: varchar('user_id', { length: USER_ID_MAX_LENGTH }).notNull(),
    status: varchar('status', { length: 16 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    idempotencyKey: varchar('idempotency_key', { length: IDEMPOTENCY_KEY_MAX_LENGTH }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    clientId: varchar('client_id', { length: CLIENT_ID_MAX_LENGTH }).notNull().default(ANONYMOUS_CLIENT_ID),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    check('reservations_status_known', sql`${t.status} IN (${inList(RESERVATION_STATUSES)})`),
    check('reservations_finished_when_not_reserved', sql`(${t.status} = 'RESERVED') = (${t.finishedAt} IS NULL)`),
    uniqueIndex('reservations_client_idempotency_key_unique').on(t.clientId, t.idempotencyKey),
    index('reservations_due_idx')
      .on(t.expiresAt)
      .where(sql`${t.status} = 'RESERVED'`),
    index('reservations_finished_idx')
      .on(t.finishedAt)
      .where(sql`${t.finishedAt} IS NOT NULL`),
    /** A capped reserve sums the customer's active holds (then their lines of the capped SKUs) while it holds the SKUs' row locks. */
    index('reservations_user_active_idx')
      .on(t.userId)
      .where(sql`${t.status} = 'RESERVED'`),
    /**
     * The admin's hold list, newest first, and its cursor (createdAt, id). NULLS FIRST is what a plain `ORDER BY ... DESC`
     * asks for; an index built NULLS LAST (drizzle's default for desc()) cannot give that order, even on NOT NULL columns.
     */
    index('reservations_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    /** The admin's hold list of one customer, newest first. */
    index('reservations_user_created_idx').on(t.userId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

/**
 * One line per SKU of a hold. Deleting a SKU (allowed only with nothing reserved) deletes the whole finished holds that
 * have a line of it (DrizzleInventoryRepository), and their lines by cascade; the cascade on `sku` is the backstop.
 */
export const reservationLines = pgTable(
  'reservation_lines',
  {
    reservationId: uuid('reservation_id')
      .notNull()
      .references(() => reservations.id, { onDelete: 'cascade' }),
    sku: varchar('sku', { length: SKU_MAX_LENGTH })
      .notNull()
      .references(() => inventoryItems.sku, { onDelete: 'cascade' }),
    quantity: integer('quantity').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.reservationId, t.sku] }),
    check('reservation_lines_quantity_positive', sql`${t.quantity} > 0`),
    index('reservation_lines_sku_idx').on(t.sku),
  ],
);

/** Idempotency records shared by every instance: one per (scope, key). */
export const idempotencyRecords = pgTable(
  'idempotency_records',
  {
    scope: varchar('scope', { length: 64 }).notNull(),
    key: varchar('key', { length: IDEMPOTENCY_KEY_MAX_LENGTH }).notNull(),
    fingerprint: varchar('fingerprint', { length: 64 }).notNull(),
    token: uuid('token').notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }).notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_records_created_at_idx').on(t.createdAt)],
);

/**
 * API keys: only the SHA-256 of each secret is stored, next to its visible prefix, which is unique and is what a
 * request's key is looked up by (one index read per authenticated request).
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    name: varchar('name', { length: API_KEY_NAME_MAX_LENGTH }).notNull(),
    prefix: varchar('prefix', { length: 16 }).notNull(),
    secretHash: varchar('secret_hash', { length: 64 }).notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_keys_prefix_unique').on(t.prefix), check('api_keys_scopes_not_empty', sql`cardinality(${t.scopes}) > 0`)],
);

/**
 * The stock ledger: one row per change of one SKU's counters, appended in the same statement or transaction as the
 * change. No foreign key to the item: the history outlives a deleted SKU. Ids are drawn while the SKU's row is locked,
 * so they increase with every movement of a SKU.
 */
export const stockMovements = pgTable(
  'stock_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sku: varchar('sku', { length: SKU_MAX_LENGTH }).notNull(),
    type: varchar('type', { length: 16 }).notNull(),
    availableDelta: integer('available_delta').notNull(),
    reservedDelta: integer('reserved_delta').notNull(),
    soldDelta: integer('sold_delta').notNull(),
    totalDelta: integer('total_delta').notNull(),
    reservationId: uuid('reservation_id'),
    reason: varchar('reason', { length: MOVEMENT_REASON_MAX_LENGTH }),
    actor: varchar('actor', { length: CLIENT_ID_MAX_LENGTH }),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    check('stock_movements_type_known', sql`${t.type} IN (${inList(MOVEMENT_TYPES)})`),
    index('stock_movements_sku_id_idx').on(t.sku, t.id.desc()),
  ],
);

/**
 * The transactional outbox. `payload` is the event as published ({id, type, timestamp, data}); `id` is derived from it.
 * `tx_id` is the writing transaction's id: the feed reads (tx_id, sequence) in order, only below the oldest transaction
 * still running, so no event can later appear before a reader's cursor.
 */
export const outboxEvents = pgTable(
  'outbox_events',
  {
    sequence: bigserial('sequence', { mode: 'number' }).primaryKey(),
    id: uuid('id')
      .notNull()
      .generatedAlwaysAs(sql`(payload ->> 'id')::uuid`),
    type: varchar('type', { length: 32 }).notNull(),
    orderingKey: varchar('ordering_key', { length: 128 }).notNull(),
    payload: jsonb('payload').notNull(),
    txId: xid8('tx_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    uniqueIndex('outbox_events_id_unique').on(t.id),
    index('outbox_events_tx_sequence_idx').on(t.txId, t.sequence),
    /** Retention: the events old enough to purge. */
    index('outbox_events_created_at_idx').on(t.createdAt),
    check('outbox_events_type_known', sql`${t.type} IN (${inList(EVENT_TYPES)})`),
  ],
);

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: uuid('id').primaryKey(),
  url: varchar('url', { length: WEBHOOK_URL_MAX_LENGTH }).notNull(),
  events: text('events').array().notNull(),
  description: varchar('description', { length: WEBHOOK_DESCRIPTION_MAX_LENGTH }),
  secret: text('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
});

/** One event to one endpoint. Its event is found by id; `event_sequence` orders deliveries of one ordering key. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    eventType: varchar('event_type', { length: 32 }).notNull(),
    orderingKey: varchar('ordering_key', { length: 128 }).notNull(),
    eventSequence: bigint('event_sequence', { mode: 'number' }).notNull(),
    status: varchar('status', { length: 16 }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull(),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    leaseToken: uuid('lease_token'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    check('webhook_deliveries_status_known', sql`${t.status} IN ('pending', 'delivered', 'failed')`),
    uniqueIndex('webhook_deliveries_endpoint_event_unique').on(t.endpointId, t.eventId),
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.status} = 'pending'`),
    /** The order rule: the earliest pending delivery of an (endpoint, ordering key) goes first. */
    index('webhook_deliveries_order_idx')
      .on(t.endpointId, t.orderingKey, t.eventSequence)
      .where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_event_idx').on(t.eventId),
    /** Retention: finished deliveries old enough to purge. */
    index('webhook_deliveries_finished_idx')
      .on(t.createdAt)
      .where(sql`${t.status} <> 'pending'`),
  ],
);

/** Every try, kept for the deliveries route; they go with their delivery. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: varchar('event_type', { length: 32 }).notNull(),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    nextRetryAt: timestamp('next_retry_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('webhook_attempts_endpoint_idx').on(t.endpointId, t.id.desc()),
    index('webhook_attempts_delivery_idx').on(t.deliveryId),
    /** Retention: the attempts old enough to purge. */
    index('webhook_attempts_at_idx').on(t.at),
  ],
);

/** The last outbox event fanned out to deliveries: one row, locked by the instance fanning out. */
export const webhookFanoutCursor = pgTable(
  'webhook_fanout_cursor',
  {
    id: integer('id').primaryKey(),
    txId: xid8('tx_id').notNull(),
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
  },
  (t) => [check('webhook_fanout_cursor_single_row', sql`${t.id} = 1`)],
);

export const schema = {
  inventoryItems,
  reservations,
  reservationLines,
  idempotencyRecords,
  apiKeys,
  stockMovements,
  outboxEvents,
  webhookEndpoints,
  webhookDeliveries,
  webhookAttempts,
  webhookFanoutCursor,
};
export type InventoryRow = typeof inventoryItems.$inferSelect;
