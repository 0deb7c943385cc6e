import {
  ChangeContext,
  DuplicateSkuError,
  InventoryBulkInsertResult,
  InventoryChanges,
  InventoryDeleteResult,
  InventoryItem,
  InventoryPage,
  InventoryPageQuery,
  InventoryRepository,
  InventoryUpdateResult,
  NewInventoryItem,
  NO_STOCK,
  outcomeOfRefusedDelete,
  outcomeOfRefusedUpdate,
  stockOf,
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import type { mongo } from 'mongoose';
import type { MongoHandle } from './mongo-handle/database';
import { ChangeRecords, insertRecords, levelsOf } from './mongo-change-records';
import { InventoryDocument } from './mongo-documents';
import { translateMongoError, translateTransactionError } from './mongo-errors';
import { toInventoryDocument, toInventoryItem } from './mongo-mappers';
import { guardedInventoryChanges, lastMovementIdsPipeline } from './mongo-updates';
import { MONGO_HANDLE } from './mongo.tokens';

const SORT_FIELD: Record<InventoryPageQuery['sortBy'], string> = {
  sku: '_id',
  productName: 'productName',
  totalQuantity: 'totalQuantity',
  availableQuantity: 'availableQuantity',
  reservedQuantity: 'reservedQuantity',
  soldQuantity: 'soldQuantity',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
};

/**
 * Every write is one transaction: the guarded write of the item, then its movement and events (ChangeRecords), which
 * need the document it returned.
 */
@Injectable()
export class MongoInventoryRepository extends InventoryRepository {
  /**
   * Every SKU is one document here: a hot SKU's reserves are transactions that each write it, so they conflict
   * (WriteConflict) and withTransaction retries them; spreading its stock over bucket documents is not implemented
   * (README, Flash sales), so `stockBuckets` above 1 is refused before anything is written.
   */
  override readonly maxStockBuckets = 1;

  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  async insert(item: NewInventoryItem, now: Date, context?: ChangeContext): Promise<InventoryItem> {
    const doc = await this.handle
      .transaction(async (session) => {
        const lastIds = await this.lastMovementIds([item.sku], session);
        const doc = toInventoryDocument(item, now, (lastIds.get(item.sku) ?? 0) + 1);
        await this.handle.inventory.insertOne(doc, { session });
        await this.recordCreated([doc], now, context, session);
        return doc;
      })
      .catch((error: unknown) =>
        translateMongoError(
          error,
          () => new DuplicateSkuError(item.sku),
          (other) => translateTransactionError(other, stockOf(item.sku)),
        ),
      );
    return toInventoryItem(doc);
  }

  async insertManySkippingExisting(items: NewInventoryItem[], now: Date, context?: ChangeContext): Promise<InventoryBulkInsertResult> {
    if (items.length === 0) return { created: [], existingSkus: [] };
    // One upsert per SKU that only inserts, all in one transaction: existing SKUs are left untouched and reported.
    const { docs, inserted } = await this.handle
      .transaction(async (session) => {
        const lastIds = await this.lastMovementIds(
          items.map((item) => item.sku),
          session,
        );
        const docs = items.map((item) => toInventoryDocument(item, now, (lastIds.get(item.sku) ?? 0) + 1));
        const result = await this.handle.inventory.bulkWrite(
          docs.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true } })),
          { ordered: true, session },
        );
        const inserted = new Set(Object.values(result.upsertedIds).map(String));
        await this.recordCreated(
          docs.filter((doc) => inserted.has(doc._id)),
          now,
          context,
          session,
        );
        return { docs, inserted };
      })
      .catch((error: unknown) =>
        translateMongoError(error, undefined, (other) => translateTransactionError(other, { description: 'The inventory', details: {} })),
      );
    return {
      created: docs.filter((doc) => inserted.has(doc._id)).map(toInventoryItem),
      existingSkus: docs.filter((doc) => !inserted.has(doc._id)).map((doc) => doc._id),
    };
  }

  /** Each new item's `created` movement (from nothing to its counters) and its inventory.created event. */
  private async recordCreated(docs: InventoryDocument[], now: Date, context: ChangeContext | undefined, session: mongo.ClientSession) {
    const records = new ChangeRecords();
    for (const doc of docs) {
      const item = toInventoryItem(doc);
      const change = records.movement({ before: NO_STOCK, item, id: doc.ledgerSequence! }, { type: 'created', at: now, context });
      records.itemEvent('inventory.created', item, change, now);
    }
    await insertRecords(this.handle, records, session);
  }

  /** The last movement id of each of `skus` deleted before (see lastMovementIdsPipeline); none for a SKU never seen. */
  private async lastMovementIds(skus: string[], session: mongo.ClientSession): Promise<Map<string, number>> {
    const last = await this.handle.movements.aggregate<{ _id: string; id: number }>(lastMovementIdsPipeline(skus), { session }).toArray();
    return new Map(last.map((movement) => [movement._id, movement.id]));
  }

  async findBySku(sku: string): Promise<InventoryItem | null> {
    const doc = await this.handle.inventory.findOne({ _id: sku });
    return doc ? toInventoryItem(doc) : null;
  }

  /** One find on the primary key (`_id: { $in }`). */
  async findMany(skus: readonly string[]): Promise<InventoryItem[]> {
    if (skus.length === 0) return [];
    const docs = await this.handle.inventory.find({ _id: { $in: [...skus] } }).toArray();
    return docs.map(toInventoryItem);
  }

  async findPage(query: InventoryPageQuery): Promise<InventoryPage> {
    const direction = query.sortOrder === 'desc' ? -1 : 1;
    const sort: Record<string, 1 | -1> = { [SORT_FIELD[query.sortBy]]: direction };
    if (query.sortBy !== 'sku') sort._id = 1;
    const [docs, total] = await Promise.all([
      this.handle.inventory.find({}).sort(sort).skip(query.offset).limit(query.limit).toArray(),
      this.handle.inventory.countDocuments({}),
    ]);
    return { items: docs.map(toInventoryItem), total };
  }

  /**
   * The guarded update returns the document as it was; the item after it is that document with the update applied.
   * A change of counters appends an `adjusted` movement and the threshold crossings; every change writes
   * inventory.updated.
   */
  async updateIfRulesHold(sku: string, changes: InventoryChanges, now: Date, context?: ChangeContext): Promise<InventoryUpdateResult> {
    const item = await this.handle
      .transaction(async (session) => {
        const { filter, update } = guardedInventoryChanges(sku, changes, now);
        const before = await this.handle.inventory.findOneAndUpdate(filter, update, { session, returnDocument: 'before' });
        if (!before) return null;
        const increment = '$inc' in update && update.$inc ? update.$inc.ledgerSequence : 0;
        const after = toInventoryItem({ ...before, ...update.$set });
        const records = new ChangeRecords();
        const countersChanged = after.totalQuantity !== before.totalQuantity || after.availableQuantity !== before.availableQuantity;
        const change = countersChanged
          ? records.movement(
              { before: levelsOf(before), item: after, id: (before.ledgerSequence ?? 0) + increment },
              { type: 'adjusted', at: now, context },
            )
          : null;
        records.itemEvent('inventory.updated', after, change, now);
        if (change) records.thresholdEvents([change], now);
        await insertRecords(this.handle, records, session);
        return after;
      })
      .catch((error: unknown) => translateMongoError(error, undefined, (other) => translateTransactionError(other, stockOf(sku))));
    if (item) return { status: 'updated', item };
    return outcomeOfRefusedUpdate(await this.findBySku(sku), changes);
  }

  /**
   * Deletes the item and the finished holds with a line of it together (whole holds, other lines included), as the SQL
   * adapter does; the multikey index on (items.sku, status) finds them. Its `deleted` movement takes every counter to 0
   * (the next id after the document's); inventory.deleted carries the item as it was.
   */
  async deleteIfNoActiveReservations(sku: string, now: Date, context?: ChangeContext): Promise<InventoryDeleteResult> {
    const deleted = await this.handle
      .transaction(async (session) => {
        const doc = await this.handle.inventory.findOneAndDelete({ _id: sku, reservedQuantity: 0 }, { session });
        if (doc) {
          // The SKU's lines of finished holds go with it, so the other SKUs of a confirmed cart stay consistent; a hold
          // with no other line goes whole (deleted first: the validator refuses a hold without lines).
          const finishedWithLine = { 'items.sku': sku, status: { $ne: 'RESERVED' as const } };
          await this.handle.reservations.deleteMany(
            { ...finishedWithLine, items: { $not: { $elemMatch: { sku: { $ne: sku } } } } },
            { session },
          );
          await this.handle.reservations.updateMany(finishedWithLine, { $pull: { items: { sku } } }, { session });
          const item = toInventoryItem(doc);
          const records = new ChangeRecords();
          const change = records.movement(
            { before: levelsOf(item), item: { ...item, ...NO_STOCK }, id: (doc.ledgerSequence ?? 0) + 1 },
            { type: 'deleted', at: now, context },
          );
          records.itemEvent('inventory.deleted', item, change, now);
          await insertRecords(this.handle, records, session);
        }
        return doc !== null;
      })
      .catch((error: unknown) => translateTransactionError(error, stockOf(sku)));
    if (deleted) return { status: 'deleted' };
    return outcomeOfRefusedDelete(await this.findBySku(sku));
  }
}
