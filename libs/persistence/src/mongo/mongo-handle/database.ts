import mongoose from 'mongoose';
import type { Model, mongo } from 'mongoose';
import { IdempotencyDocument, InventoryDocument, ReservationDocument } from '../mongo-documents';
import { idempotencySchema, inventorySchema, reservationSchema } from '../mongo-schemas';
import { IDEMPOTENCY_MODEL, INVENTORY_MODEL, RESERVATION_MODEL } from '../mongo.tokens';
import type { DatabasePoolCounts } from '../../database-pool-stats';
import { MongoPoolCounts } from './mongo-pool-counts';
import { prepareMongo } from './mongo-setup';

/** An open MongoDB connection with its collections, validator and indexes prepared. */
export interface MongoHandle {
  inventory: mongo.Collection<InventoryDocument>;
  reservations: mongo.Collection<ReservationDocument>;
  idempotency: mongo.Collection<IdempotencyDocument>;
  /** Runs `work` in one transaction (`withTransaction`: retries transient errors and unknown commit results). */
  transaction<T>(work: (session: mongo.ClientSession) => Promise<T>, options?: mongo.TransactionOptions): Promise<T>;
  ping(): Promise<void>;
  /** From the driver's pool monitoring events (see MongoPoolCounts). */
  poolCounts(): DatabasePoolCounts;
  close(): Promise<void>;
}

/** Connects, refuses a standalone server, and prepares collections and indexes (see prepareMongo). */
export async function openMongo(url: string): Promise<MongoHandle> {
  // No connect retries at startup: fail fast with one clear line and let the orchestrator restart the process.
  const opening = mongoose.createConnection(url, { serverSelectionTimeoutMS: 10_000, autoIndex: false });
  // createConnection has built the MongoClient synchronously (mongoose's createClient, before it awaits connect());
  // there is none only when building it failed, and asPromise() rejects with why.
  const client = opening.getClient() as mongo.MongoClient | undefined;
  const early = client && new MongoPoolCounts(client);
  const connection = await opening.asPromise();
  const pool = early ?? new MongoPoolCounts(connection.getClient());
  try {
    const inventory = connection.model<InventoryDocument>(INVENTORY_MODEL, inventorySchema);
    const reservations = connection.model<ReservationDocument>(RESERVATION_MODEL, reservationSchema);
    const idempotency = connection.model<IdempotencyDocument>(IDEMPOTENCY_MODEL, idempotencySchema);
    await prepareMongo(connection.db!, [inventory, reservations, idempotency]);
    return {
      inventory: driverCollection(inventory),
      reservations: driverCollection(reservations),
      idempotency: driverCollection(idempotency),
      transaction: (work, options) => connection.transaction(work, options),
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
