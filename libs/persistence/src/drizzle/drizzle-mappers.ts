import {
  ApiKey,
  ApiKeyScope,
  DomainEvent,
  EventData,
  EventType,
  HoldLine,
  InventoryItem,
  MovementType,
  Reservation,
  ReservationStatus,
  StockMovement,
  StoredApiKey,
} from '@app/core';
import { InventoryRow } from './schema';

/** Rows to the core's types (toDomain) and back (toPersistence). Nothing else in the adapter shapes rows. */

export function toInventoryItem(row: InventoryRow): InventoryItem {
  return {
    sku: row.sku,
    productName: row.productName,
    totalQuantity: row.totalQuantity,
    availableQuantity: row.availableQuantity,
    reservedQuantity: row.reservedQuantity,
    soldQuantity: row.soldQuantity,
    maxPerCustomer: row.maxPerCustomer,
    lowStockThreshold: row.lowStockThreshold,
    stockBuckets: row.stockBuckets,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** An inventory_items row as hand-written SQL returns it (snake_case; timestamps as Date or text by driver). */
export interface InventorySqlRow extends Record<string, unknown> {
  sku: string;
  product_name: string;
  total_quantity: number;
  available_quantity: number;
  reserved_quantity: number;
  sold_quantity: number;
  max_per_customer: number | null;
  low_stock_threshold: number | null;
  stock_buckets: number;
  created_at: Date | string;
  updated_at: Date | string;
}

export function toInventoryItemOfSql(row: InventorySqlRow): InventoryItem {
  return {
    sku: row.sku,
    productName: row.product_name,
    totalQuantity: row.total_quantity,
    availableQuantity: row.available_quantity,
    reservedQuantity: row.reserved_quantity,
    soldQuantity: row.sold_quantity,
    maxPerCustomer: row.max_per_customer,
    lowStockThreshold: row.low_stock_threshold,
    stockBuckets: row.stock_buckets,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

/** A stock_movements row as hand-written SQL returns it (bigint id as text on node-postgres). */
export interface MovementSqlRow extends Record<string, unknown> {
  id: number | string;
  sku: string;
  type: MovementType;
  available_delta: number;
  reserved_delta: number;
  sold_delta: number;
  total_delta: number;
  reservation_id: string | null;
  reason: string | null;
  actor: string | null;
  at: Date | string;
}

export function toStockMovement(row: MovementSqlRow): StockMovement {
  return {
    id: Number(row.id),
    sku: row.sku,
    type: row.type,
    availableDelta: row.available_delta,
    reservedDelta: row.reserved_delta,
    soldDelta: row.sold_delta,
    totalDelta: row.total_delta,
    reservationId: row.reservation_id,
    reason: row.reason,
    actor: row.actor,
    at: toDate(row.at),
  };
}

/** An outbox payload ({id, type, timestamp, data}, as written in SQL) as the core's event. */
export function toDomainEvent(payload: { id: string; type: EventType; timestamp: string; data: EventData }): DomainEvent {
  return { id: payload.id, type: payload.type, timestamp: new Date(payload.timestamp), data: payload.data };
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

export function toDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}
