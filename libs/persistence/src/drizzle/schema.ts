import {
  ANONYMOUS_CLIENT_ID,
  API_KEY_NAME_MAX_LENGTH,
  CLIENT_ID_MAX_LENGTH,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  MAX_QUANTITY,
  RESERVATION_STATUSES,
  SKU_MAX_LENGTH,
  USER_ID_MAX_LENGTH,
} from '@app/core';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';

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
    index('inventory_items_created_at_idx').on(t.createdAt),
  ],
);

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
    check('reservations_status_known', sql`${t.status} IN (${sql.raw(RESERVATION_STATUSES.map((status) => `'${status}'`).join(', '))})`),
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

export const schema = { inventoryItems, reservations, reservationLines, idempotencyRecords, apiKeys };
export type InventoryRow = typeof inventoryItems.$inferSelect;
