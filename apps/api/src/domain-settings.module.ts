import { Clock, IdempotencySettings, ReservationSettings, SystemClock } from '@app/core';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';

export const MAINTENANCE_SCHEDULE = Symbol('MAINTENANCE_SCHEDULE');

/** How often the maintenance jobs run; how much one statement handles is ReservationSettings.sweepBatchSize. */
export interface MaintenanceSchedule {
  expirySweepSeconds: number;
  retentionPurgeSeconds: number;
}

/** The clock and the core's time rules, built from the validated config. */
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
          useValue: new ReservationSettings(reservations.ttlSeconds, reservations.retentionSeconds, reservations.sweepBatchSize),
        },
        { provide: IdempotencySettings, useValue: new IdempotencySettings(idempotency.retentionSeconds, idempotency.leaseSeconds) },
        {
          provide: MAINTENANCE_SCHEDULE,
          useValue: {
            expirySweepSeconds: reservations.sweepIntervalSeconds,
            retentionPurgeSeconds: reservations.purgeIntervalSeconds,
          } satisfies MaintenanceSchedule,
        },
      ],
      exports: [Clock, ReservationSettings, IdempotencySettings, MAINTENANCE_SCHEDULE],
    };
  }
}
