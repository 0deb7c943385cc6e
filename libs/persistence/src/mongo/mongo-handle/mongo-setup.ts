import type { Model, mongo } from 'mongoose';
import { Logger } from '@nestjs/common';
import { COLLECTIONS } from '../mongo-documents';
import { assertTransactionsSupported, HelloResponse } from './mongo-replica-set';
import { INVENTORY_VALIDATOR } from '../mongo-schemas';

const NAMESPACE_EXISTS = 48;
const logger = new Logger('MongoSetup');

/**
 * Startup: refuse a standalone server (no transactions), create the collections (transactions cannot
 * create them) with the stock-rule validator, and build every index before serving. Safe when several
 * instances start at once.
 */
export async function prepareMongo(db: mongo.Db, models: Pick<Model<unknown>, 'createIndexes'>[]): Promise<void> {
  assertTransactionsSupported(await db.admin().command({ hello: 1 }));

  const existing = new Map(
    (await db.listCollections({}, { nameOnly: false }).toArray()).map((c) => [c.name, (c as { options?: { validator?: unknown } }).options]),
  );
  for (const name of Object.values(COLLECTIONS)) {
    if (existing.has(name)) continue;
    const options = name === COLLECTIONS.inventory ? { validator: INVENTORY_VALIDATOR, validationLevel: 'strict' as const } : {};
    await db.createCollection(name, options).catch((error: { code?: number }) => {
      if (error.code !== NAMESPACE_EXISTS) throw error;
    });
  }
  const current = existing.get(COLLECTIONS.inventory)?.validator;
  if (current !== undefined && JSON.stringify(current) !== JSON.stringify(INVENTORY_VALIDATOR)) {
    // collMod needs the dbAdmin role; without it the old validator stays and the service still runs.
    await db.command({ collMod: COLLECTIONS.inventory, validator: INVENTORY_VALIDATOR, validationLevel: 'strict' }).catch((error: Error) => {
      logger.warn(`Could not update the inventory_items validator (${error.message}); the existing one stays in force`);
    });
  }
  for (const model of models) await model.createIndexes();
}
