import { Clock, DeliveryBacklog, ReservationRepository, WebhookRepository } from '@app/core';
import { DatabasePoolCounts, DatabasePoolStats } from '@app/persistence';
import { Logger } from '@nestjs/common';
import { Counter, Gauge, Registry } from 'prom-client';
import { RateLimitStats } from '../rate-limit/rate-limit-stats';

export interface ScrapeSources {
  reservations: ReservationRepository;
  webhooks: WebhookRepository;
  clock: Clock;
  pool: DatabasePoolStats;
  rateLimit: RateLimitStats;
}

const POOL_GAUGES: { key: keyof Omit<DatabasePoolCounts, 'max'>; name: string; help: string }[] = [
  { key: 'inUse', name: 'inventory_db_pool_in_use', help: 'Database connections running a query or transaction' },
  { key: 'idle', name: 'inventory_db_pool_idle', help: 'Open database connections waiting for work' },
  { key: 'waiting', name: 'inventory_db_pool_waiting', help: 'Requests waiting for a database connection' },
];

/** Metrics read from their source when Prometheus scrapes (prom-client calls `collect` first), not kept up to date. */
export function registerScrapeGauges(registry: Registry, sources: ScrapeSources): void {
  const logger = new Logger('Metrics');
  new Gauge({
    name: 'inventory_expiry_lag_seconds',
    help: 'How long the longest-overdue hold has waited for the expiry sweeper (0: none is due; NaN: the database did not answer)',
    registers: [registry],
    async collect() {
      const now = sources.clock.now();
      try {
        const oldest = await sources.reservations.oldestDueExpiry(now);
        this.set(oldest ? (now.getTime() - oldest.getTime()) / 1000 : 0);
      } catch (error) {
        logger.warn(`Could not read the oldest due hold for inventory_expiry_lag_seconds: ${String(error)}`);
        this.set(Number.NaN);
      }
    },
  });

  registerWebhookBacklogGauges(registry, sources, logger);

  new Gauge({
    name: 'inventory_db_pool_max',
    help: 'Most database connections the pool opens (per server for MongoDB; 1 for PGlite)',
    registers: [registry],
    collect() {
      this.set(sources.pool.read().max);
    },
  });
  // Only what the driver can tell: PGlite (one in-process connection, queueing internally) has no pool counts.
  const sample = sources.pool.read();
  for (const { key, name, help } of POOL_GAUGES) {
    if (sample[key] === undefined) continue;
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(sources.pool.read()[key] ?? 0);
      },
    });
  }

  new Counter({
    name: 'inventory_rate_limit_rejections_total',
    help: 'Requests answered 429, by the policy that refused them',
    labelNames: ['policy'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [policy, count] of Object.entries(sources.rateLimit.rejectedTotal)) this.inc({ policy }, count);
    },
  });
  new Counter({
    name: 'inventory_rate_limit_fail_open_total',
    help: 'Requests let through unchecked because the shared rate-limit store did not answer',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(sources.rateLimit.failOpenTotal);
    },
  });
}

/** Both gauges come from one backlog read per scrape: prom-client collects them at once, the second joins the first's read. */
function registerWebhookBacklogGauges(registry: Registry, sources: ScrapeSources, logger: Logger): void {
  let reading: Promise<DeliveryBacklog | null> | null = null;
  const backlog = () =>
    (reading ??= sources.webhooks
      .backlog()
      .catch((error: unknown) => {
        logger.warn(`Could not read the webhook backlog: ${String(error)}`);
        return null;
      })
      .finally(() => (reading = null)));
  new Gauge({
    name: 'inventory_webhook_backlog',
    help: 'Webhook deliveries not yet delivered or given up, plus outbox events not yet fanned out (NaN: the database did not answer)',
    registers: [registry],
    async collect() {
      const read = await backlog();
      this.set(read ? read.pending : Number.NaN);
    },
  });
  new Gauge({
    name: 'inventory_webhook_backlog_oldest_age_seconds',
    help: 'Age of the oldest event in the webhook backlog (0: none; NaN: the database did not answer)',
    registers: [registry],
    async collect() {
      const read = await backlog();
      if (!read) return this.set(Number.NaN);
      this.set(read.oldestAt ? Math.max(0, (sources.clock.now().getTime() - read.oldestAt.getTime()) / 1000) : 0);
    },
  });
}
