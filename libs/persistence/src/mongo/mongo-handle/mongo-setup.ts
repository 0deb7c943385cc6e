import type { Model, mongo } from 'mongoose';
import { Logger } from '@nestjs/common';
import { ANONYMOUS_CLIENT_ID } from '@app/core';
import { COLLECTIONS, ReservationDocument } from '../mongo-documents';
import { assertTransactionsSupported, HelloResponse } from './mongo-replica-set';
import { INVENTORY_VALIDATOR, LEGACY_RESERVATION_KEY_INDEX } from '../mongo-schemas';

const NAMESPACE_EXISTS = 48;
/** Another instance dropped it first. */
const INDEX_NOT_FOUND = 27;
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
  await scopeHoldKeysPerClient(db.collection<ReservationDocument>(COLLECTIONS.reservations));
}

/**
 * Holds from before API keys have no clientId: they become the anonymous client's (whose requests they were), and
 * the index that made idempotency keys unique across all clients goes, now that the per-client one exists.
 * `clientId: null` also matches a missing field and uses the new index; both steps are no-ops once done.
 */
async function scopeHoldKeysPerClient(reservations: mongo.Collection<ReservationDocument>): Promise<void> {
  await reservations.updateMany({ clientId: null as unknown as string }, { $set: { clientId: ANONYMOUS_CLIENT_ID } });
  if (await reservations.indexExists(LEGACY_RESERVATION_KEY_INDEX)) {
    await reservations.dropIndex(LEGACY_RESERVATION_KEY_INDEX).catch((error: { code?: number }) => {
      if (error.code !== INDEX_NOT_FOUND) throw error;
    });
  }
}
