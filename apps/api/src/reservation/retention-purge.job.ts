import { IdempotencyService, ReservationService, WebhookHistoryService } from '@app/core';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { MAINTENANCE_SCHEDULE } from '../domain-settings.module';
import type { MaintenanceSchedule } from '../domain-settings.module';
import { ExclusiveSchedule } from '../scheduling/exclusive-schedule';

export interface PurgeCounts {
  reservations: number;
  idempotencyRecords: number;
  /** Outbox events, webhook deliveries and attempts. */
  webhookHistory: number;
}

/**
 * Deletes finished holds past RESERVATION_RETENTION_SECONDS and idempotency records past
 * IDEMPOTENCY_RETENTION_SECONDS, and the outbox and webhook delivery history past WebhookSettings.historyRetentionSeconds,
 * every RETENTION_PURGE_INTERVAL_SECONDS (the stock ledger is never purged).
 */
@Injectable()
export class RetentionPurgeJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionPurgeJob.name);
  private readonly schedule: ExclusiveSchedule;

  constructor(
    private readonly reservations: ReservationService,
    private readonly idempotency: IdempotencyService,
    private readonly webhookHistory: WebhookHistoryService,
    scheduler: SchedulerRegistry,
    @Inject(MAINTENANCE_SCHEDULE) private readonly intervals: MaintenanceSchedule,
  ) {
    this.schedule = new ExclusiveSchedule(scheduler, 'retention-purge', this.logger);
  }

  onApplicationBootstrap(): void {
    this.schedule.start(this.intervals.retentionPurgeSeconds, () => this.purge(), { runNow: false });
  }

  /** Purges now; resolves with how many of each were deleted (zeros if a purge was in progress or shutdown began). */
  purge(): Promise<PurgeCounts> {
    return this.schedule.run(
      async () => {
        const reservations = await this.reservations.purgeFinished();
        const idempotencyRecords = await this.idempotency.purgeExpired();
        const webhookHistory = await this.webhookHistory.purgeExpired();
        if (reservations + idempotencyRecords + webhookHistory > 0) {
          const history = `${webhookHistory} webhook history row(s)`;
          this.logger.log(`Purged ${reservations} finished reservation(s), ${idempotencyRecords} idempotency record(s) and ${history}`);
        }
        return { reservations, idempotencyRecords, webhookHistory };
      },
      { reservations: 0, idempotencyRecords: 0, webhookHistory: 0 },
    );
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }
}
