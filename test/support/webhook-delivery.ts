import { DeliveryRun } from '@app/core';
import { INestApplication } from '@nestjs/common';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { AppConfig } from '../../apps/api/src/config/app-config';
import { WebhookDeliveryJob } from '../../apps/api/src/webhooks/webhook-delivery.job';

/**
 * Webhooks to a receiver on 127.0.0.1 over http, retries due at once (so a test runs the worker by hand, round after
 * round, instead of waiting), and a worker whose cron never fires during a test (call stopScheduledJobs too).
 */
export function webhookTestConfig(): Pick<AppConfig, 'webhooks'> {
  const base = loadAppConfig({});
  return {
    webhooks: {
      ...base.webhooks,
      allowHttp: true,
      allowPrivateNetworks: true,
      deliveryIntervalSeconds: 3_600,
      retryDelaysSeconds: [0, 0, 0, 0, 0, 0],
    },
  };
}

/** One round of the delivery worker of `app`, as its cron job would run it. */
export function deliverOnce(app: INestApplication): Promise<DeliveryRun> {
  return app.get(WebhookDeliveryJob).deliver();
}

/**
 * Runs the delivery worker of each app (at once, when several) round after round until `done` holds, then runs one more
 * round on each so a test can see nothing else arrives. Events become deliverable once the feed shows them (at once on
 * PostgreSQL, after the visibility window on MongoDB), hence the polling.
 */
export async function deliverUntil(apps: INestApplication[], done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('webhooks were still not delivered as expected');
    const runs = await Promise.all(apps.map(deliverOnce));
    if (runs.every((run) => run.fannedOut === 0 && run.delivered + run.retried + run.failed === 0)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await Promise.all(apps.map(deliverOnce));
}
