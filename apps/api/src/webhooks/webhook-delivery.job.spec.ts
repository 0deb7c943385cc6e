import { DeliveryRun, WebhookDeliveryService } from '@app/core';
import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppMetrics } from '../metrics/app-metrics';
import { WebhookDeliveryJob } from './webhook-delivery.job';

const run = (delivered: number, retried = 0, failed = 0): DeliveryRun => ({ fannedOut: 1, delivered, retried, failed });

describe(WebhookDeliveryJob.name, () => {
  let runOnce: jest.Mock<Promise<DeliveryRun>, []>;
  let scheduler: SchedulerRegistry;
  let metrics: AppMetrics;
  let job: WebhookDeliveryJob;

  beforeEach(() => {
    runOnce = jest.fn<Promise<DeliveryRun>, []>();
    scheduler = new SchedulerRegistry();
    metrics = new AppMetrics();
    const deliveries = { runOnce } as unknown as WebhookDeliveryService;
    job = new WebhookDeliveryJob(
      deliveries,
      scheduler,
      { expirySweepSeconds: 5, retentionPurgeSeconds: 600, webhookDeliverySeconds: 2 },
      metrics,
    );
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(async () => {
    await job.beforeApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const outcomes = async () =>
    Object.fromEntries(
      (await metrics.registry.getSingleMetric('inventory_webhook_deliveries_total')!.get()).values.map((v) => [v.labels.outcome, v.value]),
    );

  it('should register its cron job at the configured interval and run on each tick, not at startup', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-06T10:00:00.000Z') });
    runOnce.mockResolvedValue(run(0));
    job.onApplicationBootstrap();
    expect(scheduler.getCronJob('webhook-delivery').cronTime.source).toBe('*/2 * * * * *');
    expect(runOnce).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(4_000);
    expect(runOnce).toHaveBeenCalledTimes(2);
  });

  it('should never run two rounds at once on one instance', async () => {
    let finish!: (value: DeliveryRun) => void;
    runOnce.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    const first = job.deliver();
    expect(await job.deliver()).toEqual({ fannedOut: 0, delivered: 0, retried: 0, failed: 0 });
    expect(runOnce).toHaveBeenCalledTimes(1);
    finish(run(2));
    expect(await first).toEqual(run(2));
  });

  it('should count the tries of each round by outcome', async () => {
    expect(await outcomes()).toEqual({ delivered: 0, retry: 0, failed: 0 });
    runOnce.mockResolvedValueOnce(run(3, 2, 1)).mockResolvedValueOnce(run(1));
    await job.deliver();
    await job.deliver();
    expect(await outcomes()).toEqual({ delivered: 4, retry: 2, failed: 1 });
  });

  it('should log a failed round and run again next time', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    runOnce.mockRejectedValueOnce(new Error('database unavailable')).mockResolvedValueOnce(run(1));
    expect(await job.deliver()).toEqual({ fannedOut: 0, delivered: 0, retried: 0, failed: 0 });
    expect(error).toHaveBeenCalledWith('webhook-delivery failed; it will run again', expect.stringContaining('database unavailable'));
    expect(await job.deliver()).toEqual(run(1));
  });
});
