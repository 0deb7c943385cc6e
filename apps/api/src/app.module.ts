import { PersistenceModule } from '@app/persistence';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { CheckoutModule } from './checkout/checkout.module';
import { DomainExceptionFilter } from './common/domain-exception.filter';
import { AppConfig } from './config/app-config';
import { DomainSettingsModule } from './domain-settings.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { InventoryModule } from './inventory/inventory.module';
import { MetricsModule } from './metrics/metrics.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ReservationModule } from './reservation/reservation.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({})
export class AppModule {
  /** The config is parsed and validated once (see loadAppConfig); modules receive the parts they need. */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ScheduleModule.forRoot(),
        PersistenceModule.forRoot(config.database),
        DomainSettingsModule.forRoot(config),
        AuthModule.forRoot(config),
        MetricsModule.forRoot(config.metrics),
        IdempotencyModule,
        InventoryModule,
        ReservationModule,
        CheckoutModule,
        HealthModule,
        ApiKeysModule,
        EventsModule,
        WebhooksModule,
        // Last, so its global guard runs after any authentication guard registered before it.
        RateLimitModule.forRoot(config.rateLimit),
      ],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }],
    };
  }
}
