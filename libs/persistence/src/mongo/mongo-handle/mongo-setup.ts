import type { mongo } from 'mongoose';
import { Logger } from '@nestjs/common';
import { ANONYMOUS_CLIENT_ID } from '@app/core';
import { COLLECTIONS, ReservationDocument } from '../mongo-documents';
import { LEGACY_RESERVATION_KEY_INDEX, VALIDATORS } from '../mongo-schemas';
import { assertTransactionsSupported } from './mongo-replica-set';
import { collectionSteps, CollectionName, ExistingIndex, indexSteps, originalServiceNotice, WantedIndex } from './mongo-setup-plan';

const NAMESPACE_EXISTS = 48;
const INDEX_NOT_FOUND = 27;
const logger = new Logger('MongoSetup');

/** What prepareMongo needs of a model: its collection's name and the schema's declared indexes. */
export interface PreparedModel {
  collection: { collectionName: string };
  schema: { indexes(): unknown[] };
}

/**
 * Startup: refuse a standalone server (no transactions), create the collections (transactions cannot create them)
 * with their validators, give an existing collection its validator when it differs, and reconcile every index with
 * the schema before serving (see indexSteps). Safe when several instances start at once: each step is idempotent.
 */
export async function prepareMongo(db: mongo.Db, models: PreparedModel[]): Promise<void> {
  assertTransactionsSupported(await db.admin().command({ hello: 1 }));

  const collections = await db.listCollections({}, { nameOnly: false }).toArray();
  const notice = originalServiceNotice(collections.map((c) => c.name));
  if (notice) logger.warn(notice);

  const existing = new Map(collections.map((c) => [c.name, (c as { options?: { validator?: unknown } }).options]));
  for (const step of collectionSteps(existing, VALIDATORS)) {
    if (step.action === 'create') {
      const options = step.validator ? { validator: step.validator, validationLevel: 'strict' as const } : {};
      await db.createCollection(step.name, options).catch((error: { code?: number }) => {
        if (error.code !== NAMESPACE_EXISTS) throw error;
        // Another instance created it first, perhaps without the validator (an older version): set it.
        if (step.validator) return setValidator(db, step.name, step.validator);
      });
    } else await setValidator(db, step.name, step.validator);
  }
  for (const model of models) await reconcileIndexes(db, model);
  await scopeHoldKeysPerClient(db.collection<ReservationDocument>(COLLECTIONS.reservations));
}

async function setValidator(db: mongo.Db, name: CollectionName, validator: object): Promise<void> {
  // collMod needs the dbAdmin role; without it the old validator stays and the service still runs.
  await db.command({ collMod: name, validator, validationLevel: 'strict' }).catch((error: Error) => {
    logger.warn(`Could not update the ${name} validator (${error.message}); the existing one stays in force`);
  });
}

async function reconcileIndexes(db: mongo.Db, model: PreparedModel): Promise<void> {
  const collection = db.collection(model.collection.collectionName);
  const existing = (await collection.listIndexes().toArray()) as ExistingIndex[];
  for (const step of indexSteps(model.schema.indexes() as WantedIndex[], existing)) {
    if (step.action === 'drop') {
      logger.log(`Rebuilding index ${collection.collectionName}.${step.name}: its definition changed`);
      await collection.dropIndex(step.name).catch((error: { code?: number }) => {
        if (error.code !== INDEX_NOT_FOUND) throw error; // another instance dropped it first
      });
    } else if (step.action === 'set_ttl') {
      await db.command({ collMod: collection.collectionName, index: { name: step.name, expireAfterSeconds: step.expireAfterSeconds } });
    } else await collection.createIndex(step.key, { name: step.name, ...step.options });
  }
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
