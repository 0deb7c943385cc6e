import { ReservationService } from '@app/core';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { MAINTENANCE_SCHEDULE } from '../domain-settings.module';
import type { MaintenanceSchedule } from '../domain-settings.module';
import { AppMetrics } from '../metrics/app-metrics';
import { ExclusiveSchedule } from '../scheduling/exclusive-schedule';

/**
 * Expires due holds and returns their stock, every EXPIRY_SWEEP_INTERVAL_SECONDS and once at startup. Each
 * expiry is a conditional transition in the database, so any number of instances may sweep at once.
 */
@Injectable()
export class ExpirySweepJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ExpirySweepJob.name);
  private readonly schedule: ExclusiveSchedule;

  constructor(
    private readonly reservations: ReservationService,
    scheduler: SchedulerRegistry,
    @Inject(MAINTENANCE_SCHEDULE) private readonly intervals: MaintenanceSchedule,
    private readonly metrics: AppMetrics,
  ) {
    this.schedule = new ExclusiveSchedule(scheduler, 'expiry-sweep', this.logger);
  }

  onApplicationBootstrap(): void {
    this.schedule.start(this.intervals.expirySweepSeconds, () => this.sweep(), { runNow: true });
  }

  /** Expires due holds now; resolves with how many (0 if a sweep was already in progress or shutdown began). */
  sweep(): Promise<number> {
    return this.schedule.run(async () => {
      const started = performance.now();
      let expired: number;
      try {
        expired = await this.reservations.expireDue();
      } finally {
        this.metrics.sweepFinished((performance.now() - started) / 1000);
      }
      if (expired > 0) this.logger.log(`Expired ${expired} reservation(s) and released their stock`);
      return expired;
    }, 0);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.schedule.stop();
  }
}
