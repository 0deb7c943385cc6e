import {
  ApiKey,
  ApiKeyScope,
  HoldLine,
  InventoryChanges,
  InventoryItem,
  newInventoryItem,
  NewInventoryItem,
  Reservation,
  ReservationStatus,
  StoredApiKey,
} from '@app/core';
import { inventoryItems, InventoryRow } from './schema';

/** Rows to the core's types (toDomain) and back (toPersistence). Nothing else in the adapter shapes rows. */

type InventoryInsert = typeof inventoryItems.$inferInsert;

export function toInventoryItem(row: InventoryRow): InventoryItem {
  return {
    sku: row.sku,
    productName: row.productName,
    totalQuantity: row.totalQuantity,
    availableQuantity: row.availableQuantity,
    reservedQuantity: row.reservedQuantity,
    soldQuantity: row.soldQuantity,
    maxPerCustomer: row.maxPerCustomer,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A new item's row: nothing reserved or sold, created and updated at `now` (the columns are the core's fields). */
export function toInventoryRow(item: NewInventoryItem, now: Date): InventoryInsert {
  return newInventoryItem(item, now);
}

/** The columns an admin change sets: only the given fields, and updatedAt. */
export function toInventoryChanges(changes: InventoryChanges, now: Date): Partial<InventoryInsert> {
  const set: Partial<InventoryInsert> = { updatedAt: now };
  if (changes.productName !== undefined) set.productName = changes.productName;
  if (changes.totalQuantity !== undefined) set.totalQuantity = changes.totalQuantity;
  if (changes.availableQuantity !== undefined) set.availableQuantity = changes.availableQuantity;
  if (changes.maxPerCustomer !== undefined) set.maxPerCustomer = changes.maxPerCustomer;
  return set;
}

/** A reservations row as hand-written SQL returns it (snake_case; timestamps as Date or text by driver). */
export interface HoldSqlRow extends Record<string, unknown> {
  id: string;
  user_id: string;
  status: ReservationStatus;
  expires_at: Date | string;
  client_id: string;
  idempotency_key: string;
  created_at: Date | string;
  finished_at: Date | string | null;
}

/** A hold's row with its lines as `items`: a JSON array of {sku, quantity} in SKU byte order, which both drivers parse. */
export interface ReservationSqlRow extends HoldSqlRow {
  items: HoldLine[];
}

export function toReservation(row: ReservationSqlRow): Reservation {
  return {
    id: row.id,
    userId: row.user_id,
    items: row.items.map((line) => ({ sku: line.sku, quantity: line.quantity })),
    status: row.status,
    expiresAt: toDate(row.expires_at),
    clientId: row.client_id,
    idempotencyKey: row.idempotency_key,
    createdAt: toDate(row.created_at),
    finishedAt: row.finished_at === null ? null : toDate(row.finished_at),
  };
}

/** An idempotency_records row as hand-written SQL returns it, in the shape claimOfExistingRecord reads. */
export function toExistingRecord(row: { fingerprint: string; response_status: number | null; response_body: unknown }) {
  return { fingerprint: row.fingerprint, responseStatus: row.response_status, responseBody: row.response_body };
}

/** An api_keys row without its hash, as hand-written SQL returns it. */
export interface ApiKeySqlRow extends Record<string, unknown> {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  created_at: Date | string;
  revoked_at: Date | string | null;
}

export function toApiKey(row: ApiKeySqlRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: [...row.scopes],
    createdAt: toDate(row.created_at),
    revokedAt: row.revoked_at === null ? null : toDate(row.revoked_at),
  };
}

export function toStoredApiKey(row: ApiKeySqlRow & { secret_hash: string }): StoredApiKey {
  return { ...toApiKey(row), secretHash: row.secret_hash };
}

/** Timestamps as bound parameters: ISO text with an explicit cast reads the same on both drivers. */
export function isoTimestamp(date: Date): string {
  return date.toISOString();
}

function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
