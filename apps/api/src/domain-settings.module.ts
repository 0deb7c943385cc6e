import { Clock, IdempotencySettings, MaintenanceSettings, ReservationSettings, SystemClock, WebhookSettings } from '@app/core';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';

export const MAINTENANCE_SCHEDULE = Symbol('MAINTENANCE_SCHEDULE');

/** How often the maintenance jobs run; how much one statement handles is MaintenanceSettings.batchSize. */
export interface MaintenanceSchedule {
  expirySweepSeconds: number;
  retentionPurgeSeconds: number;
}

/** The clock, the core's time rules and the maintenance batch limits, built from the validated config. */
@Global()
@Module({})
export class DomainSettingsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { reservations, idempotency } = config;
    return {
      module: DomainSettingsModule,
      providers: [
        { provide: Clock, useClass: SystemClock },
        {
          provide: ReservationSettings,
          useValue: new ReservationSettings(reservations.ttlSeconds, reservations.retentionSeconds, {
            maxQuantity: reservations.maxQuantity,
            maxPerCustomer: reservations.maxPerCustomer,
            maxTtlSeconds: reservations.maxTtlSeconds,
          }),
        },
        { provide: IdempotencySettings, useValue: new IdempotencySettings(idempotency.retentionSeconds, idempotency.leaseSeconds) },
        { provide: MaintenanceSettings, useValue: new MaintenanceSettings(reservations.sweepBatchSize) },
        // Defaults until the webhook config (WEBHOOK_*) is wired: only the retention purge reads it on this branch.
        { provide: WebhookSettings, useValue: new WebhookSettings({ allowHttp: false, allowPrivateNetworks: false }) },
        {
          provide: MAINTENANCE_SCHEDULE,
          useValue: {
            expirySweepSeconds: reservations.sweepIntervalSeconds,
            retentionPurgeSeconds: reservations.purgeIntervalSeconds,
          } satisfies MaintenanceSchedule,
        },
      ],
      exports: [Clock, ReservationSettings, IdempotencySettings, MaintenanceSettings, WebhookSettings, MAINTENANCE_SCHEDULE],
    };
  }
}
