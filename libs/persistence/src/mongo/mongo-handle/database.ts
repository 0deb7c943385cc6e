import mongoose from 'mongoose';
import type { Model, mongo } from 'mongoose';
import { isDatabaseUnavailableError } from '../../database-unavailable';
import {
  ApiKeyDocument,
  FanoutCursorDocument,
  IdempotencyDocument,
  InventoryDocument,
  OutboxEventDocument,
  ReservationDocument,
  StockMovementDocument,
  WebhookAttemptDocument,
  WebhookDeliveryDocument,
  WebhookEndpointDocument,
} from '../mongo-documents';
import {
  fanoutCursorSchema,
  movementSchema,
  outboxSchema,
  webhookAttemptSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from '../mongo-ledger-schemas';
import { apiKeySchema, idempotencySchema, inventorySchema, reservationSchema } from '../mongo-schemas';
import {
  API_KEY_MODEL,
  FANOUT_CURSOR_MODEL,
  IDEMPOTENCY_MODEL,
  INVENTORY_MODEL,
  MOVEMENT_MODEL,
  OUTBOX_MODEL,
  RESERVATION_MODEL,
  WEBHOOK_ATTEMPT_MODEL,
  WEBHOOK_DELIVERY_MODEL,
  WEBHOOK_ENDPOINT_MODEL,
} from '../mongo.tokens';
import { boundedTransaction } from './bounded-transaction';
import { mongoConnectionOptions, MongoUnreachableError } from './mongo-connection-options';
import type { DatabasePoolCounts } from '../../database-pool-stats';
import { MongoPoolCounts } from './mongo-pool-counts';
import { prepareMongo } from './mongo-setup';
import { writeOpeningMovements } from './mongo-opening-movements';

/** An open MongoDB connection with its collections, validator and indexes prepared. */
export interface MongoHandle {
  inventory: mongo.Collection<InventoryDocument>;
  reservations: mongo.Collection<ReservationDocument>;
  idempotency: mongo.Collection<IdempotencyDocument>;
  apiKeys: mongo.Collection<ApiKeyDocument>;
  movements: mongo.Collection<StockMovementDocument>;
  outbox: mongo.Collection<OutboxEventDocument>;
  webhookEndpoints: mongo.Collection<WebhookEndpointDocument>;
  webhookDeliveries: mongo.Collection<WebhookDeliveryDocument>;
  webhookAttempts: mongo.Collection<WebhookAttemptDocument>;
  fanoutCursor: mongo.Collection<FanoutCursorDocument>;
  /** The database itself, for the one-off import of the original service's collections. */
  db: mongo.Db;
  /**
   * Runs `work` in one transaction (`withTransaction`: retries transient errors and unknown commit results), starting
   * no attempt after a few seconds (see boundedTransaction); translate what it throws with translateTransactionError.
   */
  transaction<T>(work: (session: mongo.ClientSession) => Promise<T>, options?: mongo.TransactionOptions): Promise<T>;
  ping(): Promise<void>;
  /** From the driver's pool monitoring events (see MongoPoolCounts). */
  poolCounts(): DatabasePoolCounts;
  close(): Promise<void>;
}

/** Connects, refuses a standalone server, and prepares collections and indexes (see prepareMongo). */
export async function openMongo(url: string): Promise<MongoHandle> {
  // No connect retries at startup: fail fast with one clear line and let the orchestrator restart the process.
  const opening = mongoose.createConnection(url, mongoConnectionOptions(url));
  // createConnection has built the MongoClient synchronously (mongoose's createClient, before it awaits connect());
  // there is none only when building it failed, and asPromise() rejects with why.
  const client = opening.getClient() as mongo.MongoClient | undefined;
  const early = client && new MongoPoolCounts(client);
  const connection = await opening.asPromise().catch((error: unknown) => {
    throw isDatabaseUnavailableError(error) ? new MongoUnreachableError(url, error) : error;
  });
  const pool = early ?? new MongoPoolCounts(connection.getClient());
  try {
    const inventory = connection.model<InventoryDocument>(INVENTORY_MODEL, inventorySchema);
    const reservations = connection.model<ReservationDocument>(RESERVATION_MODEL, reservationSchema);
    const idempotency = connection.model<IdempotencyDocument>(IDEMPOTENCY_MODEL, idempotencySchema);
    const apiKeys = connection.model<ApiKeyDocument>(API_KEY_MODEL, apiKeySchema);
    const movements = connection.model<StockMovementDocument>(MOVEMENT_MODEL, movementSchema);
    const outbox = connection.model<OutboxEventDocument>(OUTBOX_MODEL, outboxSchema);
    const webhookEndpoints = connection.model<WebhookEndpointDocument>(WEBHOOK_ENDPOINT_MODEL, webhookEndpointSchema);
    const webhookDeliveries = connection.model<WebhookDeliveryDocument>(WEBHOOK_DELIVERY_MODEL, webhookDeliverySchema);
    const webhookAttempts = connection.model<WebhookAttemptDocument>(WEBHOOK_ATTEMPT_MODEL, webhookAttemptSchema);
    const fanoutCursor = connection.model<FanoutCursorDocument>(FANOUT_CURSOR_MODEL, fanoutCursorSchema);
    await prepareMongo(connection.db!, [
      inventory,
      reservations,
      idempotency,
      apiKeys,
      movements,
      outbox,
      webhookEndpoints,
      webhookDeliveries,
      webhookAttempts,
      fanoutCursor,
    ]);
    const transaction: MongoHandle['transaction'] = (work, options) => boundedTransaction(() => connection.startSession(), work, options);
    await writeOpeningMovements(driverCollection(inventory), driverCollection(movements), transaction);
    return {
      inventory: driverCollection(inventory),
      reservations: driverCollection(reservations),
      idempotency: driverCollection(idempotency),
      apiKeys: driverCollection(apiKeys),
      movements: driverCollection(movements),
      outbox: driverCollection(outbox),
      webhookEndpoints: driverCollection(webhookEndpoints),
      webhookDeliveries: driverCollection(webhookDeliveries),
      webhookAttempts: driverCollection(webhookAttempts),
      fanoutCursor: driverCollection(fanoutCursor),
      db: connection.db!,
      transaction,
      ping: async () => void (await connection.db!.admin().ping()),
      poolCounts: () => pool.read(),
      close: () => connection.close(),
    };
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The model's driver collection, typed by its stored shape. The guarded writes go straight to the driver
 * so that each filter and update document is exactly what mongo-updates.ts builds (no schema casting).
 */
function driverCollection<T extends mongo.Document>(model: Model<T>): mongo.Collection<T> {
  return model.collection as unknown as mongo.Collection<T>;
}
