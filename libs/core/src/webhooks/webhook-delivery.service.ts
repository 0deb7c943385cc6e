import { Injectable } from '@nestjs/common';
import { Clock } from '../time/clock';
import { AttemptResult, ClaimedDelivery } from './webhook';
import { WebhookRepository } from './webhook.repository';
import { WebhookSender } from './webhook-sender';
import { WebhookSettings } from './webhook-settings';
import { signWebhook } from './webhook-signature';
import { nextAttemptAt } from './retry-schedule';

export interface DeliveryRun {
  fannedOut: number;
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * One round of the delivery worker: fan new outbox events out to endpoints, claim due deliveries, send each (Standard
 * Webhooks headers), store the outcome. 2xx: delivered; 410: endpoint disabled; anything else, a timeout or a connection
 * error: retried on the schedule, then given up.
 */
@Injectable()
export class WebhookDeliveryService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
  ) {}

  async runOnce(): Promise<DeliveryRun> {
    const run: DeliveryRun = { fannedOut: 0, delivered: 0, retried: 0, failed: 0 };
    run.fannedOut = await this.webhooks.fanOut(this.clock.now(), this.settings.batchSize * 5);
    const now = this.clock.now();
    const claims = await this.webhooks.claimDue(now, new Date(now.getTime() + this.settings.leaseSeconds * 1000), this.settings.batchSize);
    const results = await Promise.all(claims.map((claim) => this.deliver(claim)));
    for (const result of results) {
      if (result.status === 'delivered') run.delivered++;
      else if (result.status === 'retry') run.retried++;
      else run.failed++;
    }
    return run;
  }

  private async deliver(claim: ClaimedDelivery): Promise<AttemptResult> {
    const { event } = claim;
    const body = JSON.stringify({ id: event.id, type: event.type, timestamp: event.timestamp.toISOString(), data: event.data });
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': event.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signWebhook(claim.endpoint.secret, event.id, timestamp, body),
    };
    const response = await this.sender.send(claim.endpoint.url, headers, body);
    const at = this.clock.now();
    const result = resultOf(response.statusCode, claim.attempt, at, this.settings.retryDelaysSeconds);
    await this.webhooks.recordAttempt(claim, {
      at,
      statusCode: response.statusCode,
      error: response.error,
      durationMs: response.durationMs,
      result,
    });
    return result;
  }
}

function resultOf(statusCode: number | null, attempt: number, at: Date, delaysSeconds: readonly number[]): AttemptResult {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { status: 'delivered' };
  if (statusCode === 410) return { status: 'endpoint_gone' };
  const next = nextAttemptAt(attempt, at, Math.random(), delaysSeconds);
  return next ? { status: 'retry', nextAttemptAt: next } : { status: 'failed' };
}
