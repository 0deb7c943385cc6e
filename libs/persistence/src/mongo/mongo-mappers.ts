import {
  ApiKey,
  HoldLine,
  IdempotencyClaimRequest,
  InventoryItem,
  newInventoryItem,
  NewInventoryItem,
  NewReservation,
  Reservation,
  StoredApiKey,
} from '@app/core';
import {
  ApiKeyDocument,
  HoldLineDocument,
  IdempotencyDocument,
  InventoryDocument,
  ReservationDocument,
  StoredReservationDocument,
} from './mongo-documents';

/** Documents to the core's types (toDomain) and back (toPersistence). Nothing else in the adapter shapes documents. */

export function toInventoryItem(doc: InventoryDocument): InventoryItem {
  return {
    sku: doc._id,
    productName: doc.productName,
    totalQuantity: doc.totalQuantity,
    availableQuantity: doc.availableQuantity,
    reservedQuantity: doc.reservedQuantity,
    soldQuantity: doc.soldQuantity,
    maxPerCustomer: doc.maxPerCustomer ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/** A new item's document: nothing reserved or sold, created and updated at `now`; the SKU is the _id. */
export function toInventoryDocument(item: NewInventoryItem, now: Date): InventoryDocument {
  const { sku, ...fields } = newInventoryItem(item, now);
  return { _id: sku, ...fields };
}

/** Reads both shapes: a hold written before carts (top-level sku and quantity) is a one-line hold. */
export function toReservation(doc: StoredReservationDocument): Reservation {
  return {
    id: doc._id,
    userId: doc.userId,
    items: linesOf(doc),
    status: doc.status,
    expiresAt: doc.expiresAt,
    clientId: doc.clientId,
    idempotencyKey: doc.idempotencyKey,
    createdAt: doc.createdAt,
    finishedAt: doc.finishedAt ?? null,
  };
}

/** The hold's lines as stored (canonical form), or the one line of a hold written before carts. */
export function linesOf(doc: StoredReservationDocument): HoldLine[] {
  if (doc.items === undefined) return [{ sku: doc.sku, quantity: doc.quantity }];
  return doc.items.map(toLineDocument);
}

/** Exactly `sku` then `quantity`: a guard that matches the stored array compares embedded documents field by field, in order. */
export function toLineDocument(line: HoldLine): HoldLineDocument {
  return { sku: line.sku, quantity: line.quantity };
}

/** A new, active hold; purgeAt stays null until it finishes, so the TTL index never deletes an active hold. */
export function toReservationDocument(hold: NewReservation): ReservationDocument {
  return {
    _id: hold.id,
    items: hold.items.map(toLineDocument),
    userId: hold.userId,
    status: 'RESERVED',
    expiresAt: hold.expiresAt,
    clientId: hold.clientId,
    idempotencyKey: hold.idempotencyKey,
    createdAt: hold.createdAt,
    finishedAt: null,
    purgeAt: null,
  };
}

/** A claimed, in-progress record; purgeAt is set on completion only, so the TTL index never deletes a request in progress. */
export function toIdempotencyDocument(request: IdempotencyClaimRequest): IdempotencyDocument {
  return {
    scope: request.scope,
    key: request.key,
    fingerprint: request.fingerprint,
    token: request.token,
    leaseUntil: request.leaseUntil,
    responseStatus: null,
    responseBody: null,
    createdAt: request.now,
    completedAt: null,
    purgeAt: null,
  };
}

/**
 * The response body as the client received it: a JSON round-trip, as the SQL adapter stores it (jsonb). Stored as is,
 * the driver would turn `undefined` into null (ignoreUndefined is false by default) and keep Dates as BSON dates, so a
 * replay could differ from the original response.
 */
export function storedResponseBody(body: unknown): unknown {
  return body === undefined ? null : JSON.parse(JSON.stringify(body));
}

export function toApiKeyDocument(key: StoredApiKey): ApiKeyDocument {
  return {
    _id: key.id,
    name: key.name,
    prefix: key.prefix,
    secretHash: key.secretHash,
    scopes: [...key.scopes],
    createdAt: key.createdAt,
    revokedAt: key.revokedAt,
  };
}

export function toStoredApiKey(doc: ApiKeyDocument): StoredApiKey {
  return { ...toApiKey(doc), secretHash: doc.secretHash };
}

/** The key without its hash. */
export function toApiKey(doc: ApiKeyDocument): ApiKey {
  return {
    id: doc._id,
    name: doc.name,
    prefix: doc.prefix,
    scopes: [...doc.scopes],
    createdAt: doc.createdAt,
    revokedAt: doc.revokedAt ?? null,
  };
}
