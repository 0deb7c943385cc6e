import { Clock, IdempotencySettings, ReservationSettings, SystemClock } from '@app/core';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';

export const SWEEP_SETTINGS = Symbol('SWEEP_SETTINGS');

export interface SweepSettings {
  intervalSeconds: number;
  batchSize: number;
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
          provide: SWEEP_SETTINGS,
          useValue: { intervalSeconds: reservations.sweepIntervalSeconds, batchSize: reservations.sweepBatchSize } satisfies SweepSettings,
        },
      ],
      exports: [Clock, ReservationSettings, IdempotencySettings, SWEEP_SETTINGS],
    };
  }
}
