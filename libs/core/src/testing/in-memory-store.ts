import { DomainEvent } from '../events/domain-event';
import { StoredResponse } from '../idempotency/idempotency-record';
import { InventoryItem } from '../inventory/inventory-item';
import { StockMovement } from '../ledger/stock-movement';
import { Reservation } from '../reservation/reservation';
import { WebhookAttempt, WebhookEndpoint } from '../webhooks/webhook';

/** One delivery of one outbox event to one endpoint. */
export interface InMemoryDelivery {
  id: string;
  endpointId: string;
  /** Index of the event in the outbox: the feed order deliveries of one ordering key follow. */
  eventIndex: number;
  orderingKey: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  leaseToken: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
}

/** Where a record of `scope` and `key` is kept in InMemoryStore.idempotency. */
export function idempotencyRowId(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}

/** One idempotency record, under idempotencyRowId. */
export interface InMemoryIdempotencyRow {
  fingerprint: string;
  token: string;
  leaseUntil: Date;
  createdAt: Date;
  response: StoredResponse | null;
}

/** The webhook tables: endpoints, deliveries, attempts, and how far the outbox has been fanned out. */
export class InMemoryWebhookState {
  readonly endpoints = new Map<string, WebhookEndpoint>();
  deliveries: InMemoryDelivery[] = [];
  attempts: WebhookAttempt[] = [];
  /** Outbox events before this index have been fanned out. */
  fannedOut = 0;
}

/**
 * The state the in-memory fakes share, so a reserve can move stock, record the hold, append its movements and write
 * its events in one step.
 */
export class InMemoryStore {
  readonly items = new Map<string, InventoryItem>();
  readonly reservations = new Map<string, Reservation>();
  /** The ledger, in the order the movements were appended (ids increase). */
  readonly movements: StockMovement[] = [];
  /** The outbox, in feed order. */
  readonly events: DomainEvent[] = [];
  /** Outbox positions deleted by retention; positions never shift, so cursors and deliveries keep theirs. */
  readonly purgedEvents = new Set<number>();
  readonly webhooks = new InMemoryWebhookState();
  /** Idempotency records, so a change can write its request's record in the same step. */
  readonly idempotency = new Map<string, InMemoryIdempotencyRow>();
  private lastMovementId = 0;

  nextMovementId(): number {
    return ++this.lastMovementId;
  }
}
