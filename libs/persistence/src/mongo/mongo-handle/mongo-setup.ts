import type { mongo } from 'mongoose';
import { Logger } from '@nestjs/common';
import { ANONYMOUS_CLIENT_ID } from '@app/core';
import { COLLECTIONS, ReservationDocument } from '../mongo-documents';
import { mongoErrorCode } from '../mongo-errors';
import { OBSOLETE_INDEXES, VALIDATORS } from '../mongo-schemas';
import { MIGRATE_HOLDS_TO_LINES } from '../mongo-updates';
import { assertTransactionsSupported } from './mongo-replica-set';
import { collectionSteps, CollectionName, ExistingIndex, indexSteps, originalServiceNotice, WantedIndex } from './mongo-setup-plan';

const NAMESPACE_EXISTS = 48;
const INDEX_NOT_FOUND = 27;
const DOCUMENT_VALIDATION_FAILURE = 121;
const logger = new Logger('MongoSetup');

/** What prepareMongo needs of a model: its collection's name and the schema's declared indexes. */
export interface PreparedModel {
  collection: { collectionName: string };
  schema: { indexes(): unknown[] };
}

/**
 * Startup: refuse a standalone server (no transactions), create the collections (transactions cannot create them)
 * with their validators, give an existing collection its validator when it differs, reconcile every index with
 * the schema (see indexSteps), then bring holds of earlier versions to the current shape, all before serving. The
 * data steps come after the validator, which accepts only the current shape: the previous one required what they
 * remove. Safe when several instances start at once: each step is idempotent.
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
  const reservations = db.collection<ReservationDocument>(COLLECTIONS.reservations);
  // Lines first: the validator now requires them, so a hold without them could not take a clientId either.
  await migrateHoldsToLines(reservations);
  await scopeHoldKeysPerClient(reservations);
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
  const obsolete = OBSOLETE_INDEXES[collection.collectionName as CollectionName] ?? [];
  for (const step of indexSteps(model.schema.indexes() as WantedIndex[], existing, obsolete)) {
    if (step.action === 'drop') {
      const why = obsolete.includes(step.name) ? 'an earlier version used it' : 'its definition changed, rebuilding it';
      logger.log(`Dropping index ${collection.collectionName}.${step.name}: ${why}`);
      await collection.dropIndex(step.name).catch((error: { code?: number }) => {
        if (error.code !== INDEX_NOT_FOUND) throw error; // another instance dropped it first
      });
    } else if (step.action === 'set_ttl') {
      await db.command({ collMod: collection.collectionName, index: { name: step.name, expireAfterSeconds: step.expireAfterSeconds } });
    } else await collection.createIndex(step.key, { name: step.name, ...step.options });
  }
}

/**
 * Holds written before carts (top-level sku and quantity) become one-line holds (MIGRATE_HOLDS_TO_LINES): one
 * pipeline updateMany, a no-op once done. A 121 here means the collection kept the previous version's validator
 * (collMod refused, see setValidator), which requires the fields this removes; the service cannot run against it.
 */
async function migrateHoldsToLines(reservations: mongo.Collection<ReservationDocument>): Promise<void> {
  const { filter, update } = MIGRATE_HOLDS_TO_LINES;
  const { modifiedCount } = await reservations.updateMany(filter, update).catch((error: unknown) => {
    if (mongoErrorCode(error) !== DOCUMENT_VALIDATION_FAILURE) throw error;
    throw new Error(
      `Could not migrate the holds of ${reservations.collectionName} to lines: its validator refused (121). ` +
        `Give the service's user the dbAdmin role so that startup can replace the previous version's validator (collMod).`,
      { cause: error },
    );
  });
  if (modifiedCount > 0) logger.log(`Migrated ${modifiedCount} single-SKU hold(s) of ${reservations.collectionName} to lines`);
}

/**
 * Holds from before API keys have no clientId: they become the anonymous client's (whose requests they were).
 * `clientId: null` also matches a missing field and uses the per-client index; a no-op once done. The index that
 * made idempotency keys unique across all clients is an obsolete one (OBSOLETE_INDEXES), dropped with the indexes.
 */
async function scopeHoldKeysPerClient(reservations: mongo.Collection<ReservationDocument>): Promise<void> {
  await reservations.updateMany({ clientId: null as unknown as string }, { $set: { clientId: ANONYMOUS_CLIENT_ID } });
}
