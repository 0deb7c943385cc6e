import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry } from 'prom-client';
import type { DeliveryRun } from '@app/core';
import type { ReservationOutcome } from './reservation-outcome';

export type HoldEnding = 'confirmed' | 'cancelled' | 'expired';
export type IdempotencyConflict = 'in_progress' | 'key_reused';

/**
 * The service's own metrics, on a registry of this application (not prom-client's global one, so several apps in one
 * process, as in the tests, never share counts). Labels are closed sets: never a SKU, user, key or raw URL.
 */
@Injectable()
export class AppMetrics {
  readonly registry = new Registry();

  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  private readonly reservations = new Counter({
    name: 'inventory_reservations_total',
    help: 'Reserve requests by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  private readonly holdTransitions = new Counter({
    name: 'inventory_holds_transitions_total',
    help: 'Holds that left RESERVED, by the state they entered',
    labelNames: ['to'] as const,
    registers: [this.registry],
  });

  private readonly sweepDuration = new Histogram({
    name: 'inventory_expiry_sweep_duration_seconds',
    help: 'Duration of each expiry sweep that ran',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly idempotencyReplays = new Counter({
    name: 'inventory_idempotency_replays_total',
    help: 'Requests answered with the stored response of an earlier request with the same idempotency key',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  private readonly idempotencyConflicts = new Counter({
    name: 'inventory_idempotency_conflicts_total',
    help: 'Requests refused for their idempotency key: still in progress (409) or reused with another payload (422)',
    labelNames: ['scope', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly webhookDeliveries = new Counter({
    name: 'inventory_webhook_deliveries_total',
    help: 'Webhook tries by outcome: delivered (2xx), retry (anything else, to be tried again), failed (given up, or 410 Gone)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Every series of a closed label set starts at 0, so rate() and alerts see it before its first increment.
    for (const to of ['confirmed', 'cancelled', 'expired'] as const) this.holdTransitions.inc({ to }, 0);
    for (const outcome of ['delivered', 'retry', 'failed'] as const) this.webhookDeliveries.inc({ outcome }, 0);
  }

  requestFinished(method: string, route: string, status: number, seconds: number): void {
    this.requestDuration.observe({ method, route, status: String(status) }, seconds);
  }

  reservationAnswered(outcome: ReservationOutcome): void {
    this.reservations.inc({ outcome });
  }

  holdsEnded(to: HoldEnding, count = 1): void {
    if (count > 0) this.holdTransitions.inc({ to }, count);
  }

  sweepFinished(seconds: number): void {
    this.sweepDuration.observe(seconds);
  }

  webhookAttempts(run: DeliveryRun): void {
    if (run.delivered > 0) this.webhookDeliveries.inc({ outcome: 'delivered' }, run.delivered);
    if (run.retried > 0) this.webhookDeliveries.inc({ outcome: 'retry' }, run.retried);
    if (run.failed > 0) this.webhookDeliveries.inc({ outcome: 'failed' }, run.failed);
  }

  idempotentReplay(scope: string): void {
    this.idempotencyReplays.inc({ scope });
  }

  idempotencyConflict(scope: string, reason: IdempotencyConflict): void {
    this.idempotencyConflicts.inc({ scope, reason });
  }
}
