import { Injectable } from '@nestjs/common';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { runInBatches } from '../maintenance/run-in-batches';
import { Clock } from '../time/clock';
import { WebhookRepository } from './webhook.repository';
import { WebhookSettings } from './webhook-settings';

/** Retention of the outbox and the webhook delivery history (the stock ledger is never purged). */
@Injectable()
export class WebhookHistoryService {
  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly clock: Clock,
    private readonly settings: WebhookSettings,
    private readonly maintenance: MaintenanceSettings,
  ) {}

  /** Deletes attempts, finished deliveries and fanned-out events older than the retention, in bounded batches. */
  async purgeExpired(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.settings.historyRetentionSeconds * 1000);
    return runInBatches(this.maintenance, (limit) => this.webhooks.purgeBefore(cutoff, limit));
  }
}
