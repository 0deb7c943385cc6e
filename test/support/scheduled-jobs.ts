import { INestApplication } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';

/** Stops the cron ticks of the maintenance jobs, so only a test's own calls (and the startup sweep) run them. */
export function stopScheduledJobs(app: INestApplication): void {
  const scheduler = app.get(SchedulerRegistry);
  for (const name of scheduler.getCronJobs().keys()) void scheduler.getCronJob(name).stop();
}
