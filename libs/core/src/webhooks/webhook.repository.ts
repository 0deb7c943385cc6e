import { AttemptOutcome, ClaimedDelivery, DeliveryBacklog, NewWebhookEndpoint, WebhookAttempt, WebhookEndpoint } from './webhook';

/**
 * Port for webhook endpoints and their deliveries. Delivery is at least once, from the outbox: fanOut turns outbox
 * events into one delivery per subscribed endpoint (one instance at a time; an event is fanned out once), claimDue
 * leases due deliveries so that no two workers on any instance send the same one at once, and recordAttempt stores
 * the outcome (only for the lease's holder).
 */
export abstract class WebhookRepository {
  abstract create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;

  /** Every endpoint, newest first. */
  abstract list(): Promise<WebhookEndpoint[]>;

  abstract findById(id: string): Promise<WebhookEndpoint | null>;

  /** Deletes the endpoint and its pending deliveries; false when there was none. */
  abstract delete(id: string): Promise<boolean>;

  /** The endpoint's most recent attempts, newest first. */
  abstract recentAttempts(endpointId: string, limit: number): Promise<WebhookAttempt[]>;

  /**
   * Turns up to `limit` outbox events not yet fanned out (in feed order) into deliveries, due at `now`, for every endpoint
   * enabled and subscribed to their type at that moment. Safe from several instances at once: an event is fanned out once.
   * Returns how many events it handled.
   */
  abstract fanOut(now: Date, limit: number): Promise<number>;

  /**
   * Leases up to `limit` deliveries due at `now` (not delivered, not given up, next attempt due, lease free or lapsed)
   * until `leaseUntil`, each the OLDEST undelivered delivery of its (endpoint, ordering key), so events of one hold or
   * one SKU reach each endpoint in order. Never the same delivery to two callers while a lease runs.
   */
  abstract claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]>;

  /** Stores the try and its result; ignored (false) when the lease was lost to another worker meanwhile. */
  abstract recordAttempt(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean>;

  abstract backlog(): Promise<DeliveryBacklog>;

  /**
   * Retention: deletes up to `limit` rows in all, in this order: attempts made before `cutoff`; deliveries delivered or
   * given up, made before `cutoff` and not tried since; outbox events written before `cutoff` that have been fanned out and
   * that no pending delivery references (so a pending delivery can still be sent, and the feed past any cursor is whole
   * from there on). Safe from several instances at once (each row goes once). Returns how many rows it deleted.
   */
  abstract purgeBefore(cutoff: Date, limit: number): Promise<number>;
}
