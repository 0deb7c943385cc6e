import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { cronEvery } from './cron-every';

/**
 * One named cron job in @nestjs/schedule's registry whose runs never overlap in this instance: a tick, or a
 * direct call, while a run is in progress is skipped. stop() removes the cron job, refuses new runs and
 * resolves once the run in progress has finished, so a shutdown can wait for it before the database closes.
 */
export class ExclusiveSchedule {
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    readonly name: string,
    private readonly logger: Logger,
  ) {}

  /** Registers and starts the cron job calling `tick` every `intervalSeconds` (see cronEvery); `runNow` also calls it at once. */
  start(intervalSeconds: number, tick: () => Promise<unknown>, options: { runNow: boolean }): void {
    const cronTime = cronEvery(intervalSeconds);
    if (cronTime === undefined) throw new RangeError(`${this.name}: no cron step expresses every ${intervalSeconds} s`);
    const job = CronJob.from({ cronTime, onTick: () => void tick(), start: true, name: this.name });
    this.scheduler.addCronJob(this.name, job);
    if (options.runNow) void tick();
  }

  /** Runs `work` unless a run is in progress or stop() began, in which case it resolves to `skipped`; a failure is logged, not thrown. */
  async run<T>(work: () => Promise<T>, skipped: T): Promise<T> {
    if (this.stopped || this.running) return skipped;
    const run = work().catch((error: unknown) => {
      this.logger.error(`${this.name} failed; it will run again`, error instanceof Error ? error.stack : String(error));
      return skipped;
    });
    this.running = run;
    try {
      return await run;
    } finally {
      this.running = null;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // ScheduleModule may already have removed it: it stops every registered cron job at shutdown too.
    if (this.scheduler.doesExist('cron', this.name)) this.scheduler.deleteCronJob(this.name);
    await this.running;
  }
}
