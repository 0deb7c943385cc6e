import { IdempotencyRepository, InventoryRepository, ReservationRepository } from '@app/core';
import { DynamicModule, Module } from '@nestjs/common';
import { getConnectionToken, getModelToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { DatabaseConfig, describeDatabase } from '../database-config';
import { DatabaseHealth } from '../database-health';
import { MongoIdempotencyRepository } from './mongo-idempotency.repository';
import { MongoInventoryRepository } from './mongo-inventory.repository';
import { MongoReservationRepository } from './mongo-reservation.repository';
import { idempotencySchema, inventorySchema, reservationSchema } from './mongo-schemas';
import { prepareMongo } from './mongo-setup';
import { IDEMPOTENCY_MODEL, INVENTORY_MODEL, MONGO_READY, RESERVATION_MODEL } from './mongo.tokens';

type MongoConfig = Extract<DatabaseConfig, { kind: 'mongo' }>;

/** Binds every repository port to its MongoDB adapter (mongoose). The connection closes on application shutdown. */
@Module({})
export class MongoPersistenceModule {
  static forRoot(config: MongoConfig): DynamicModule {
    return {
      module: MongoPersistenceModule,
      imports: [
        // No connect retries at startup: fail fast with one clear line and let the orchestrator restart the process.
        MongooseModule.forRoot(config.url, { serverSelectionTimeoutMS: 10_000, retryAttempts: 0, autoIndex: false }),
        MongooseModule.forFeature([
          { name: INVENTORY_MODEL, schema: inventorySchema },
          { name: RESERVATION_MODEL, schema: reservationSchema },
          { name: IDEMPOTENCY_MODEL, schema: idempotencySchema },
        ]),
      ],
      providers: [
        {
          provide: MONGO_READY,
          inject: [getConnectionToken(), getModelToken(INVENTORY_MODEL), getModelToken(RESERVATION_MODEL), getModelToken(IDEMPOTENCY_MODEL)],
          useFactory: (connection: Connection, ...models: Model<unknown>[]) => prepareMongo(connection.db!, models).then(() => true),
        },
        { provide: InventoryRepository, useClass: MongoInventoryRepository },
        { provide: ReservationRepository, useClass: MongoReservationRepository },
        { provide: IdempotencyRepository, useClass: MongoIdempotencyRepository },
        {
          provide: DatabaseHealth,
          inject: [getConnectionToken(), MONGO_READY],
          useFactory: (connection: Connection): DatabaseHealth => ({
            description: describeDatabase(config),
            ping: async () => void (await connection.db!.admin().ping()),
          }),
        },
      ],
      exports: [InventoryRepository, ReservationRepository, IdempotencyRepository, DatabaseHealth],
    };
  }
}
