import { DomainEvent, EventType } from '../events/domain-event';

/** `*` subscribes to every event type. */
export type WebhookEventFilter = EventType | '*';

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventFilter[];
  description: string | null;
  /** `whsec_` + base64 of the signing key (Standard Webhooks); shown once, at creation. */
  secret: string;
  createdAt: Date;
  /** Set when the receiver answered 410 Gone: nothing more is sent to it. */
  disabledAt: Date | null;
}

export type NewWebhookEndpoint = Omit<WebhookEndpoint, 'disabledAt'>;

export const WEBHOOK_DESCRIPTION_MAX_LENGTH = 500;
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** One try to deliver one event to one endpoint. */
export interface WebhookAttempt {
  deliveryId: string;
  endpointId: string;
  eventId: string;
  eventType: EventType;
  /** 1 for the first try. */
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
  /** When the next try is due; null when the delivery succeeded or was given up. */
  nextRetryAt: Date | null;
}

/** A due delivery leased to this worker until `leaseUntil`; only the holder of `token` may record its outcome. */
export interface ClaimedDelivery {
  deliveryId: string;
  token: string;
  endpoint: Pick<WebhookEndpoint, 'id' | 'url' | 'secret'>;
  event: DomainEvent;
  /** The number of this try (1 for the first). */
  attempt: number;
}

export type AttemptResult =
  | { status: 'delivered' }
  /** Try again at `nextAttemptAt`. */
  | { status: 'retry'; nextAttemptAt: Date }
  /** Given up after the retry window. */
  | { status: 'failed' }
  /** The receiver answered 410 Gone: the delivery is given up and the endpoint disabled. */
  | { status: 'endpoint_gone' };

export interface AttemptOutcome {
  at: Date;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  result: AttemptResult;
}

export interface DeliveryBacklog {
  /** Deliveries not yet delivered or given up, plus events not yet fanned out to endpoints. */
  pending: number;
  /** When the oldest of them was written; null when there is none. */
  oldestAt: Date | null;
}

export function subscribes(endpoint: Pick<WebhookEndpoint, 'events'>, type: EventType): boolean {
  return endpoint.events.includes('*') || endpoint.events.includes(type);
}
