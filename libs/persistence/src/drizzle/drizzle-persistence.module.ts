import {
  ApiKeyRepository,
  EventFeedRepository,
  IdempotencyRepository,
  InventoryRepository,
  ReservationRepository,
  StockLedgerRepository,
  WebhookRepository,
} from '@app/core';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DatabaseConfig } from '../database-config';
import { DatabaseHealth, databaseHealthOf } from '../database-health';
import { DatabasePoolStats, databasePoolStatsOf } from '../database-pool-stats';
import { openPglite, openPostgres } from './drizzle-handle/database';
import type { DrizzleHandle } from './drizzle-handle/database';
import { DrizzleApiKeyRepository } from './drizzle-api-key.repository';
import { DrizzleEventFeedRepository } from './drizzle-event-feed.repository';
import { DrizzleIdempotencyRepository } from './drizzle-idempotency.repository';
import { DrizzleInventoryRepository } from './drizzle-inventory.repository';
import { DrizzleReservationRepository } from './drizzle-reservation.repository';
import { DrizzleStockLedgerRepository } from './drizzle-stock-ledger.repository';
import { DrizzleWebhookRepository } from './drizzle-webhook.repository';
import { DRIZZLE_HANDLE } from './drizzle.tokens';

type DrizzleConfig = Extract<DatabaseConfig, { kind: 'pglite' | 'postgres' }>;

/** Binds every repository port to its Drizzle adapter, on PostgreSQL or PGlite. */
@Module({})
export class DrizzlePersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {}

  static forRoot(config: DrizzleConfig): DynamicModule {
    return {
      module: DrizzlePersistenceModule,
      providers: [
        {
          provide: DRIZZLE_HANDLE,
          useFactory: () => (config.kind === 'pglite' ? openPglite(config.dataDir) : openPostgres(config.url, config.poolMax)),
        },
        { provide: InventoryRepository, useClass: DrizzleInventoryRepository },
        { provide: ReservationRepository, useClass: DrizzleReservationRepository },
        { provide: IdempotencyRepository, useClass: DrizzleIdempotencyRepository },
        { provide: ApiKeyRepository, useClass: DrizzleApiKeyRepository },
        { provide: StockLedgerRepository, useClass: DrizzleStockLedgerRepository },
        { provide: EventFeedRepository, useClass: DrizzleEventFeedRepository },
        { provide: WebhookRepository, useClass: DrizzleWebhookRepository },
        { provide: DatabaseHealth, inject: [DRIZZLE_HANDLE], useFactory: (handle: DrizzleHandle) => databaseHealthOf(config, handle) },
        { provide: DatabasePoolStats, inject: [DRIZZLE_HANDLE], useFactory: databasePoolStatsOf },
      ],
      exports: [
        InventoryRepository,
        ReservationRepository,
        IdempotencyRepository,
        ApiKeyRepository,
        StockLedgerRepository,
        EventFeedRepository,
        WebhookRepository,
        DatabaseHealth,
        DatabasePoolStats,
      ],
    };
  }

  /** Runs after the HTTP server has closed, so in-flight requests still had their connections. */
  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}
