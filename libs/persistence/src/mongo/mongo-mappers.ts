import {
  ApiKey,
  ClaimedDelivery,
  DomainEvent,
  HoldLine,
  holdSnapshot,
  IdempotencyClaimRequest,
  OutcomeRecord,
  RECORDED_HOLD,
  RecordDraft,
  ResponseRecord,
  InventoryItem,
  newInventoryItem,
  NewInventoryItem,
  NewReservation,
  Reservation,
  orderingKeyOf,
  StockMovement,
  StoredApiKey,
  WebhookAttempt,
  WebhookEndpoint,
} from '@app/core';
import {
  ApiKeyDocument,
  HoldLineDocument,
  OutboxEventDocument,
  StockMovementDocument,
  WebhookAttemptDocument,
  WebhookDeliveryDocument,
  WebhookEndpointDocument,
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
    lowStockThreshold: doc.lowStockThreshold ?? null,
    // MongoDB keeps every SKU in one document (see MongoInventoryRepository.maxStockBuckets).
    stockBuckets: 1,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

/**
 * A new item's document: nothing reserved or sold, created and updated at `now`; the SKU is the _id. `ledgerSequence`:
 * the id of its `created` movement (after the movements of an earlier item of the same SKU).
 */
export function toInventoryDocument(item: NewInventoryItem, now: Date, ledgerSequence: number): InventoryDocument {
  // One document per SKU: stockBuckets is always 1 here and not stored (MongoInventoryRepository.maxStockBuckets).
  const { sku, stockBuckets: _oneDocument, ...fields } = newInventoryItem(item, now);
  return { _id: sku, ...fields, ledgerSequence };
}

/** One _id per SKU and movement id: a second write of the same movement is refused (11000). */
export function movementDocumentId(sku: string, id: number): string {
  return `${sku}:${id}`;
}

export function toMovementDocument(movement: StockMovement): StockMovementDocument {
  return { _id: movementDocumentId(movement.sku, movement.id), ...movement };
}

export function toStockMovement(doc: StockMovementDocument): StockMovement {
  return {
    id: doc.id,
    sku: doc.sku,
    type: doc.type,
    availableDelta: doc.availableDelta,
    reservedDelta: doc.reservedDelta,
    soldDelta: doc.soldDelta,
    totalDelta: doc.totalDelta,
    reservationId: doc.reservationId ?? null,
    reason: doc.reason ?? null,
    actor: doc.actor ?? null,
    at: doc.at,
  };
}

/** The event at its place in the feed: `writtenAt` and `position` (see OutboxEventDocument). */
export function toOutboxDocument(event: DomainEvent, writtenAt: Date, position: number): OutboxEventDocument {
  return {
    _id: event.id,
    type: event.type,
    orderingKey: orderingKeyOf(event),
    timestamp: event.timestamp,
    writtenAt,
    position,
    data: event.data,
  };
}

export function toDomainEvent(doc: OutboxEventDocument): DomainEvent {
  return { id: doc._id, type: doc.type, timestamp: doc.timestamp, data: doc.data };
}

export function toEndpointDocument(endpoint: WebhookEndpoint): WebhookEndpointDocument {
  return {
    _id: endpoint.id,
    url: endpoint.url,
    events: [...endpoint.events],
    description: endpoint.description,
    secret: endpoint.secret,
    createdAt: endpoint.createdAt,
    disabledAt: endpoint.disabledAt,
  };
}

export function toWebhookEndpoint(doc: WebhookEndpointDocument): WebhookEndpoint {
  return {
    id: doc._id,
    url: doc.url,
    events: [...doc.events],
    description: doc.description ?? null,
    secret: doc.secret,
    createdAt: doc.createdAt,
    disabledAt: doc.disabledAt ?? null,
  };
}

/** A new delivery of `event` (at its feed position) to an endpoint, due at `now`. */
export function toDeliveryDocument(id: string, endpointId: string, event: OutboxEventDocument, now: Date): WebhookDeliveryDocument {
  return {
    _id: id,
    endpointId,
    eventId: event._id,
    eventType: event.type,
    orderingKey: event.orderingKey,
    eventWrittenAt: event.writtenAt,
    eventPosition: event.position,
    eventTimestamp: event.timestamp,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    leaseUntil: null,
    leaseToken: null,
    createdAt: now,
    deliveredAt: null,
  };
}

export function toClaimedDelivery(
  delivery: Pick<WebhookDeliveryDocument, '_id' | 'attempts'>,
  token: string,
  endpoint: WebhookEndpointDocument,
  event: OutboxEventDocument,
): ClaimedDelivery {
  return {
    deliveryId: delivery._id,
    token,
    endpoint: { id: endpoint._id, url: endpoint.url, secret: endpoint.secret },
    event: toDomainEvent(event),
    attempt: delivery.attempts + 1,
  };
}

export function toAttemptDocument(attempt: WebhookAttempt): WebhookAttemptDocument {
  return { ...attempt };
}

export function toWebhookAttempt(doc: WebhookAttemptDocument): WebhookAttempt {
  return {
    deliveryId: doc.deliveryId,
    endpointId: doc.endpointId,
    eventId: doc.eventId,
    eventType: doc.eventType,
    attempt: doc.attempt,
    statusCode: doc.statusCode ?? null,
    error: doc.error ?? null,
    durationMs: doc.durationMs,
    at: doc.at,
    nextRetryAt: doc.nextRetryAt ?? null,
  };
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

/** A request's idempotency record written complete, with the change it answers for (ResponseRecord). */
export function toRecordedDocument(record: ResponseRecord): IdempotencyDocument {
  return completedRecordDocument(record, record.response.statusCode, record.response.body);
}

/** A request's idempotency record holding the hold a transition ended (OutcomeRecord), written in its transaction. */
export function toOutcomeDocument(record: OutcomeRecord, ended: Reservation): IdempotencyDocument {
  return completedRecordDocument(record, record.statusCode, { [RECORDED_HOLD]: holdSnapshot(ended) });
}

/** A record written complete by the change it answers for: claimed, leased and completed at `now`. */
function completedRecordDocument(draft: RecordDraft, statusCode: number, body: unknown): IdempotencyDocument {
  return {
    scope: draft.scope,
    key: draft.key,
    fingerprint: draft.fingerprint,
    token: draft.token,
    leaseUntil: draft.now,
    responseStatus: statusCode,
    responseBody: storedResponseBody(body),
    createdAt: draft.now,
    completedAt: draft.now,
    purgeAt: draft.retainUntil,
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
