import mongoose from 'mongoose';
import type { Model, mongo } from 'mongoose';
import { isDatabaseUnavailableError } from '../../database-unavailable';
import { ApiKeyDocument, IdempotencyDocument, InventoryDocument, ReservationDocument } from '../mongo-documents';
import { apiKeySchema, idempotencySchema, inventorySchema, reservationSchema } from '../mongo-schemas';
import { API_KEY_MODEL, IDEMPOTENCY_MODEL, INVENTORY_MODEL, RESERVATION_MODEL } from '../mongo.tokens';
import { boundedTransaction } from './bounded-transaction';
import { mongoConnectionOptions, MongoUnreachableError } from './mongo-connection-options';
import type { DatabasePoolCounts } from '../../database-pool-stats';
import { MongoPoolCounts } from './mongo-pool-counts';
import { prepareMongo } from './mongo-setup';

/** An open MongoDB connection with its collections, validator and indexes prepared. */
export interface MongoHandle {
  inventory: mongo.Collection<InventoryDocument>;
  reservations: mongo.Collection<ReservationDocument>;
  idempotency: mongo.Collection<IdempotencyDocument>;
  apiKeys: mongo.Collection<ApiKeyDocument>;
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
    await prepareMongo(connection.db!, [inventory, reservations, idempotency, apiKeys]);
    return {
      inventory: driverCollection(inventory),
      reservations: driverCollection(reservations),
      idempotency: driverCollection(idempotency),
      apiKeys: driverCollection(apiKeys),
      db: connection.db!,
      transaction: (work, options) => boundedTransaction(() => connection.startSession(), work, options),
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
