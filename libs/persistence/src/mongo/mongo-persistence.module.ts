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
import { openMongo } from './mongo-handle/database';
import type { MongoHandle } from './mongo-handle/database';
import { MongoApiKeyRepository } from './mongo-api-key.repository';
import { FEED_VISIBILITY_WINDOW_MS } from './mongo-event-feed';
import { MongoEventFeedRepository } from './mongo-event-feed.repository';
import { MongoIdempotencyRepository } from './mongo-idempotency.repository';
import { MongoInventoryRepository } from './mongo-inventory.repository';
import { MongoReservationRepository } from './mongo-reservation.repository';
import { MongoStockLedgerRepository } from './mongo-stock-ledger.repository';
import { MongoWebhookRepository } from './mongo-webhook.repository';
import { MONGO_FEED_VISIBILITY_MS, MONGO_HANDLE } from './mongo.tokens';

type MongoConfig = Extract<DatabaseConfig, { kind: 'mongo' }>;

/** Binds every repository port to its MongoDB adapter (mongoose). */
@Module({})
export class MongoPersistenceModule implements OnApplicationShutdown {
  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {}

  static forRoot(config: MongoConfig): DynamicModule {
    return {
      module: MongoPersistenceModule,
      providers: [
        { provide: MONGO_HANDLE, useFactory: () => openMongo(config.url) },
        { provide: InventoryRepository, useClass: MongoInventoryRepository },
        { provide: ReservationRepository, useClass: MongoReservationRepository },
        { provide: IdempotencyRepository, useClass: MongoIdempotencyRepository },
        { provide: ApiKeyRepository, useClass: MongoApiKeyRepository },
        { provide: MONGO_FEED_VISIBILITY_MS, useValue: FEED_VISIBILITY_WINDOW_MS },
        { provide: StockLedgerRepository, useClass: MongoStockLedgerRepository },
        { provide: EventFeedRepository, useClass: MongoEventFeedRepository },
        { provide: WebhookRepository, useClass: MongoWebhookRepository },
        { provide: DatabaseHealth, inject: [MONGO_HANDLE], useFactory: (handle: MongoHandle) => databaseHealthOf(config, handle) },
        { provide: DatabasePoolStats, inject: [MONGO_HANDLE], useFactory: databasePoolStatsOf },
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

  /** Runs after the HTTP server has closed and every request in flight was handled (even one whose client left). */
  async onApplicationShutdown(): Promise<void> {
    await this.handle.close();
  }
}
