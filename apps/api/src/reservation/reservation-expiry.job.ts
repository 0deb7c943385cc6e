import { IdempotencyService, ReservationService } from '@app/core';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Cron, CronExpression, SchedulerRegistry } from '@nestjs/schedule';
import { SWEEP_SETTINGS } from '../domain-settings.module';
import type { SweepSettings } from '../domain-settings.module';

const EXPIRY_INTERVAL = 'reservation-expiry';

/**
 * Expires due holds every EXPIRY_SWEEP_INTERVAL_SECONDS and once at startup; purges finished holds and old
 * idempotency records every ten minutes. Each expiry is a conditional transition in the database, so any
 * number of instances may sweep at once. Runs never overlap within one instance, and shutdown waits for
 * the run in progress before the database closes.
 */
@Injectable()
export class ReservationExpiryJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReservationExpiryJob.name);
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly reservations: ReservationService,
    private readonly idempotency: IdempotencyService,
    private readonly scheduler: SchedulerRegistry,
    @Inject(SWEEP_SETTINGS) private readonly settings: SweepSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.addInterval(EXPIRY_INTERVAL, setInterval(() => void this.sweep(), this.settings.intervalSeconds * 1000));
    void this.sweep();
  }

  /** Expires due holds now; resolves with how many (0 if a run was already in progress or shutdown began). */
  sweep(): Promise<number> {
    return this.exclusive(async () => {
      const expired = await this.reservations.expireDue();
      if (expired > 0) this.logger.log(`Expired ${expired} reservation(s) and released their stock`);
      return expired;
    }, 0);
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'reservation-purge' })
  purge(): Promise<{ reservations: number; idempotencyRecords: number }> {
    return this.exclusive(
      async () => {
        const reservations = await this.reservations.purgeFinished();
        const idempotencyRecords = await this.idempotency.purgeExpired();
        if (reservations + idempotencyRecords > 0) {
          this.logger.log(`Purged ${reservations} finished reservation(s) and ${idempotencyRecords} idempotency record(s)`);
        }
        return { reservations, idempotencyRecords };
      },
      { reservations: 0, idempotencyRecords: 0 },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', EXPIRY_INTERVAL)) this.scheduler.deleteInterval(EXPIRY_INTERVAL);
    await this.running;
  }

  private async exclusive<T>(work: () => Promise<T>, skipped: T): Promise<T> {
    if (this.stopped || this.running) return skipped;
    const run = work().catch((error: unknown) => {
      this.logger.error('Scheduled reservation maintenance failed; it will run again', error instanceof Error ? error.stack : String(error));
      return skipped;
    });
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }
}
