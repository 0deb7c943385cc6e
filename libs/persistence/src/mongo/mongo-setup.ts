import type { Connection } from 'mongoose';
import { COLLECTIONS } from './mongo-documents';
import { assertTransactionsSupported, HelloResponse } from './mongo-replica-set';
import { INVENTORY_VALIDATOR } from './mongo-schemas';

/**
 * Startup: refuse a standalone server (no transactions), create the collections (transactions cannot
 * create them), install the stock-rule validator, and build every index before serving.
 */
export async function prepareMongo(connection: Connection): Promise<void> {
  const db = connection.db;
  if (!db) throw new Error('MongoDB connection has no database');
  assertTransactionsSupported((await db.admin().command({ hello: 1 })) as HelloResponse);

  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const name of Object.values(COLLECTIONS)) {
    if (!existing.has(name)) await db.createCollection(name);
  }
  await db.command({ collMod: COLLECTIONS.inventory, validator: INVENTORY_VALIDATOR, validationLevel: 'strict', validationAction: 'error' });
  for (const model of Object.values(connection.models)) await model.createIndexes();
}
