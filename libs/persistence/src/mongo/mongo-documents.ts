import { ApiKeyScope, ReservationStatus } from '@app/core';

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

/**
 * Our collections. Holds are not in `reservations`: that is the original service's collection (mongoose's default
 * name), whose documents (ObjectId ids, no idempotency key) would break the unique index and be seen by the sweeper.
 */
export const COLLECTIONS = {
  inventory: 'inventory_items',
  reservations: 'reservation_holds',
  idempotency: 'idempotency_records',
  apiKeys: 'api_keys',
} as const;
