import { randomUUID } from 'node:crypto';
import { orderingKeyOf } from '../events/domain-event';
import {
  AttemptOutcome,
  ClaimedDelivery,
  DeliveryBacklog,
  NewWebhookEndpoint,
  subscribes,
  WebhookAttempt,
  WebhookEndpoint,
} from '../webhooks/webhook';
import { WebhookRepository } from '../webhooks/webhook.repository';
import { copyEvent } from './in-memory-ledger-writer';
import { InMemoryDelivery, InMemoryStore } from './in-memory-store';

/**
 * In-memory fake of WebhookRepository over the store's outbox; each method runs without awaiting, so concurrent
 * callers see each other's claims as they would behind the adapters' locks.
 */
export class InMemoryWebhookRepository extends WebhookRepository {
  constructor(private readonly store: InMemoryStore) {
    super();
  }

  private get state() {
    return this.store.webhooks;
  }

  async create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const stored: WebhookEndpoint = { ...copyEndpoint({ ...endpoint, disabledAt: null }) };
    this.state.endpoints.set(stored.id, stored);
    return copyEndpoint(stored);
  }

  async list(): Promise<WebhookEndpoint[]> {
    return [...this.state.endpoints.values()]
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id))
      .map(copyEndpoint);
  }

  async findById(id: string): Promise<WebhookEndpoint | null> {
    const endpoint = this.state.endpoints.get(id);
    return endpoint ? copyEndpoint(endpoint) : null;
  }

  async delete(id: string): Promise<boolean> {
    if (!this.state.endpoints.delete(id)) return false;
    this.state.deliveries = this.state.deliveries.filter((delivery) => delivery.endpointId !== id);
    this.state.attempts = this.state.attempts.filter((attempt) => attempt.endpointId !== id);
    return true;
  }

  async recentAttempts(endpointId: string, limit: number): Promise<WebhookAttempt[]> {
    return this.state.attempts
      .filter((attempt) => attempt.endpointId === endpointId)
      .reverse()
      .sort((a, b) => b.at.getTime() - a.at.getTime())
      .slice(0, limit)
      .map((attempt) => ({ ...attempt }));
  }

  async fanOut(now: Date, limit: number): Promise<number> {
    const events = this.store.events.slice(this.state.fannedOut, this.state.fannedOut + limit);
    const endpoints = [...this.state.endpoints.values()].filter((endpoint) => endpoint.disabledAt === null);
    for (const [offset, event] of events.entries()) {
      for (const endpoint of endpoints.filter((candidate) => subscribes(candidate, event.type))) {
        this.state.deliveries.push({
          id: randomUUID(),
          endpointId: endpoint.id,
          eventIndex: this.state.fannedOut + offset,
          orderingKey: orderingKeyOf(event),
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          leaseUntil: null,
          leaseToken: null,
          createdAt: now,
          deliveredAt: null,
        });
      }
    }
    this.state.fannedOut += events.length;
    return events.length;
  }

  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const pending = this.state.deliveries.filter((delivery) => delivery.status === 'pending').sort((a, b) => a.eventIndex - b.eventIndex);
    const firstOfKey = new Map<string, InMemoryDelivery>();
    for (const delivery of pending) {
      const key = `${delivery.endpointId}\u0000${delivery.orderingKey}`;
      if (!firstOfKey.has(key)) firstOfKey.set(key, delivery);
    }
    const claimable = [...firstOfKey.values()]
      .filter((delivery) => this.state.endpoints.get(delivery.endpointId)?.disabledAt === null)
      .filter((delivery) => delivery.nextAttemptAt.getTime() <= now.getTime())
      .filter((delivery) => delivery.leaseUntil === null || delivery.leaseUntil.getTime() <= now.getTime())
      .sort((a, b) => a.eventIndex - b.eventIndex)
      .slice(0, limit);
    return claimable.map((delivery) => {
      delivery.leaseToken = randomUUID();
      delivery.leaseUntil = leaseUntil;
      const endpoint = this.state.endpoints.get(delivery.endpointId)!;
      return {
        deliveryId: delivery.id,
        token: delivery.leaseToken,
        endpoint: { id: endpoint.id, url: endpoint.url, secret: endpoint.secret },
        event: copyEvent(this.store.events[delivery.eventIndex]),
        attempt: delivery.attempts + 1,
      };
    });
  }

  async recordAttempt(claim: ClaimedDelivery, outcome: AttemptOutcome): Promise<boolean> {
    const delivery = this.state.deliveries.find((candidate) => candidate.id === claim.deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.leaseToken !== claim.token) return false;
    const { result } = outcome;
    const event = this.store.events[delivery.eventIndex];
    this.state.attempts.push({
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      eventId: event.id,
      eventType: event.type,
      attempt: claim.attempt,
      statusCode: outcome.statusCode,
      error: outcome.error,
      durationMs: outcome.durationMs,
      at: outcome.at,
      nextRetryAt: result.status === 'retry' ? result.nextAttemptAt : null,
    });
    delivery.attempts = claim.attempt;
    delivery.leaseToken = null;
    delivery.leaseUntil = null;
    if (result.status === 'delivered') {
      delivery.status = 'delivered';
      delivery.deliveredAt = outcome.at;
    } else if (result.status === 'retry') {
      delivery.nextAttemptAt = result.nextAttemptAt;
    } else {
      delivery.status = 'failed';
    }
    if (result.status === 'endpoint_gone') this.state.endpoints.get(delivery.endpointId)!.disabledAt = outcome.at;
    return true;
  }

  async backlog(): Promise<DeliveryBacklog> {
    // A disabled endpoint's pending deliveries will never be sent: they are not waiting.
    const waiting = [
      ...this.state.deliveries
        .filter((delivery) => delivery.status === 'pending' && this.state.endpoints.get(delivery.endpointId)?.disabledAt === null)
        .map((delivery) => this.store.events[delivery.eventIndex]),
      ...this.store.events.slice(this.state.fannedOut),
    ];
    const oldest = Math.min(...waiting.map((event) => event.timestamp.getTime()));
    return { pending: waiting.length, oldestAt: waiting.length > 0 ? new Date(oldest) : null };
  }

  async purgeBefore(cutoff: Date, limit: number): Promise<number> {
    const before = (at: Date) => at.getTime() < cutoff.getTime();
    const attempts = this.state.attempts.filter((attempt) => before(attempt.at)).slice(0, limit);
    this.state.attempts = this.state.attempts.filter((attempt) => !attempts.includes(attempt));

    const triedSince = new Set(this.state.attempts.filter((attempt) => !before(attempt.at)).map((attempt) => attempt.deliveryId));
    const deliveries = this.state.deliveries
      .filter((delivery) => delivery.status !== 'pending' && before(delivery.createdAt) && !triedSince.has(delivery.id))
      .slice(0, limit - attempts.length);
    this.state.deliveries = this.state.deliveries.filter((delivery) => !deliveries.includes(delivery));

    const referenced = new Set(this.state.deliveries.filter((delivery) => delivery.status === 'pending').map((d) => d.eventIndex));
    const events = this.store.events
      .map((event, position) => ({ event, position }))
      .filter(({ event, position }) => position < this.state.fannedOut && before(event.timestamp))
      .filter(({ position }) => !this.store.purgedEvents.has(position) && !referenced.has(position))
      .slice(0, limit - attempts.length - deliveries.length);
    for (const { position } of events) this.store.purgedEvents.add(position);
    return attempts.length + deliveries.length + events.length;
  }
}

function copyEndpoint(endpoint: WebhookEndpoint): WebhookEndpoint {
  return { ...endpoint, events: [...endpoint.events] };
}
