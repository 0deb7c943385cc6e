import {
  Clock,
  IdempotencySettings,
  InventorySettings,
  MaintenanceSettings,
  ReservationSettings,
  SystemClock,
  WebhookSettings,
} from '@app/core';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './config/app-config';

export const MAINTENANCE_SCHEDULE = Symbol('MAINTENANCE_SCHEDULE');

/** How often the maintenance jobs run; how much one statement handles is MaintenanceSettings.batchSize. */
export interface MaintenanceSchedule {
  expirySweepSeconds: number;
  retentionPurgeSeconds: number;
  webhookDeliverySeconds: number;
}

/** Time limit of one webhook try (WEBHOOK_TIMEOUT_MS), for the HTTP sender. */
export const WEBHOOK_TIMEOUT_MS = Symbol('WEBHOOK_TIMEOUT_MS');

/** The clock, the core's rules (time, inventory, webhooks) and the maintenance schedule, built from the validated config. */
@Global()
@Module({})
export class DomainSettingsModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { reservations, idempotency, webhooks } = config;
    // A claimed delivery stays leased well past one try's time limit, so a live worker never loses it mid-send.
    const leaseSeconds = Math.max(30, 2 * Math.ceil(webhooks.timeoutMs / 1000) + 10);
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
        { provide: InventorySettings, useValue: new InventorySettings(config.inventory.lowStockThreshold) },
        {
          provide: WebhookSettings,
          useValue: new WebhookSettings(
            { allowHttp: webhooks.allowHttp, allowPrivateNetworks: webhooks.allowPrivateNetworks },
            leaseSeconds,
            undefined,
            webhooks.retryDelaysSeconds,
            webhooks.historyRetentionSeconds,
          ),
        },
        { provide: WEBHOOK_TIMEOUT_MS, useValue: webhooks.timeoutMs },
        {
          provide: MAINTENANCE_SCHEDULE,
          useValue: {
            expirySweepSeconds: reservations.sweepIntervalSeconds,
            retentionPurgeSeconds: reservations.purgeIntervalSeconds,
            webhookDeliverySeconds: webhooks.deliveryIntervalSeconds,
          } satisfies MaintenanceSchedule,
        },
      ],
      exports: [
        Clock,
        ReservationSettings,
        IdempotencySettings,
        MaintenanceSettings,
        InventorySettings,
        WebhookSettings,
        WEBHOOK_TIMEOUT_MS,
        MAINTENANCE_SCHEDULE,
      ],
    };
  }
}
