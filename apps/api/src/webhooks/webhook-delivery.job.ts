import { DeliveryRun, WebhookDeliveryService } from '@app/core';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { MAINTENANCE_SCHEDULE } from '../domain-settings.module';
import type { MaintenanceSchedule } from '../domain-settings.module';
import { AppMetrics } from '../metrics/app-metrics';
import { ExclusiveSchedule } from '../scheduling/exclusive-schedule';

const NOTHING_RUN: DeliveryRun = { fannedOut: 0, delivered: 0, retried: 0, failed: 0 };

/**
 * The webhook delivery worker, on every instance, every WEBHOOK_DELIVERY_INTERVAL_SECONDS: fans new outbox events out
 * to endpoints and sends the due deliveries. Instances never send the same delivery at once (the repository leases each
 * claim), and one instance never runs two rounds at once.
 */
@Injectable()
export class WebhookDeliveryJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryJob.name);
  private readonly schedule: ExclusiveSchedule;

  constructor(
    private readonly deliveries: WebhookDeliveryService,
    scheduler: SchedulerRegistry,
    @Inject(MAINTENANCE_SCHEDULE) private readonly intervals: MaintenanceSchedule,
    private readonly metrics: AppMetrics,
  ) {
    this.schedule = new ExclusiveSchedule(scheduler, 'webhook-delivery', this.logger);
  }

  onApplicationBootstrap(): void {
    this.schedule.start(this.intervals.webhookDeliverySeconds, () => this.deliver(), { runNow: false });
  }

  /** One round now; all zeros if a round was already in progress on this instance or shutdown began. */
  deliver(): Promise<DeliveryRun> {
    return this.schedule.run(async () => {
      const run = await this.deliveries.runOnce();
      this.metrics.webhookAttempts(run);
      if (run.failed > 0) this.logger.warn(`${run.failed} webhook delivery(ies) given up or refused by their endpoint (410)`);
      return run;
    }, NOTHING_RUN);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }
}
