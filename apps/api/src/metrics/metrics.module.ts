import { Clock, ReservationRepository, WebhookRepository } from '@app/core';
import { DatabasePoolStats } from '@app/persistence';
import { DynamicModule, Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics } from 'prom-client';
import { RateLimitStats } from '../rate-limit/rate-limit-stats';
import { AdminActivityController } from './admin-activity.controller';
import { AppMetrics } from './app-metrics';
import { countHoldEndings } from './hold-ending-counts';
import { METRICS_CONFIG } from './metrics.config';
import type { MetricsConfig } from './metrics.config';
import { MetricsServer } from './metrics-server';
import { registerRequestMetrics } from './request-metrics';
import { registerScrapeGauges } from './scrape-gauges';

/** Prometheus metrics (prom-client): collected here, served by MetricsServer. Global, so jobs and interceptors can count. */
@Global()
@Module({})
export class MetricsModule implements OnModuleInit {
  constructor(
    @Inject(METRICS_CONFIG) private readonly config: MetricsConfig,
    private readonly metrics: AppMetrics,
    private readonly adapterHost: HttpAdapterHost,
    private readonly reservations: ReservationRepository,
    private readonly webhooks: WebhookRepository,
    private readonly clock: Clock,
    private readonly pool: DatabasePoolStats,
    private readonly rateLimit: RateLimitStats,
  ) {}

  static forRoot(config: MetricsConfig): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [AdminActivityController],
      providers: [{ provide: METRICS_CONFIG, useValue: config }, AppMetrics, MetricsServer],
      exports: [AppMetrics, MetricsServer],
    };
  }

  /** Before the server starts (routes are registered, Fastify is not ready yet) and before the first sweep. */
  onModuleInit(): void {
    const { registry } = this.metrics;
    // Process metrics only where they are served: their collectors (GC observer, event-loop monitor) live as long as the process.
    if (this.config.enabled) collectDefaultMetrics({ register: registry });
    registerScrapeGauges(registry, {
      reservations: this.reservations,
      webhooks: this.webhooks,
      clock: this.clock,
      pool: this.pool,
      rateLimit: this.rateLimit,
    });
    countHoldEndings(this.reservations, this.metrics);
    registerRequestMetrics(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), this.metrics);
  }
}
