import {
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
  outcomeOfRefusedDelete,
  outcomeOfRefusedUpdate,
  stockOf,
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { translateMongoError, translateTransactionError } from './mongo-errors';
import { toInventoryDocument, toInventoryItem } from './mongo-mappers';
import { guardedInventoryChanges } from './mongo-updates';
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

@Injectable()
export class MongoInventoryRepository extends InventoryRepository {
  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  async insert(item: NewInventoryItem, now: Date): Promise<InventoryItem> {
    const doc = toInventoryDocument(item, now);
    await this.handle.inventory.insertOne(doc).catch((error: unknown) => translateMongoError(error, () => new DuplicateSkuError(item.sku)));
    return toInventoryItem(doc);
  }

  async insertManySkippingExisting(items: NewInventoryItem[], now: Date): Promise<InventoryBulkInsertResult> {
    if (items.length === 0) return { created: [], existingSkus: [] };
    const docs = items.map((item) => toInventoryDocument(item, now));
    // One upsert per SKU that only inserts, all in one transaction: existing SKUs are left untouched and reported.
    const result = await this.handle
      .transaction((session) =>
        this.handle.inventory.bulkWrite(
          docs.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true } })),
          { ordered: true, session },
        ),
      )
      .catch((error: unknown) =>
        translateMongoError(error, undefined, (other) => translateTransactionError(other, { description: 'The inventory', details: {} })),
      );
    const inserted = new Set(Object.values(result.upsertedIds).map(String));
    return {
      created: docs.filter((doc) => inserted.has(doc._id)).map(toInventoryItem),
      existingSkus: docs.filter((doc) => !inserted.has(doc._id)).map((doc) => doc._id),
    };
  }

  async findBySku(sku: string): Promise<InventoryItem | null> {
    const doc = await this.handle.inventory.findOne({ _id: sku });
    return doc ? toInventoryItem(doc) : null;
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

  async updateIfRulesHold(sku: string, changes: InventoryChanges, now: Date): Promise<InventoryUpdateResult> {
    const { filter, update } = guardedInventoryChanges(sku, changes, now);
    const doc = await this.handle.inventory.findOneAndUpdate(filter, update, { returnDocument: 'after' }).catch(translateMongoError);
    if (doc) return { status: 'updated', item: toInventoryItem(doc) };
    return outcomeOfRefusedUpdate(await this.findBySku(sku), changes);
  }

  /**
   * Deletes the item and the finished holds with a line of it together (whole holds, other lines included), as the SQL
   * adapter does; the multikey index on (items.sku, status) finds them.
   */
  async deleteIfNoActiveReservations(sku: string): Promise<InventoryDeleteResult> {
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
        }
        return doc !== null;
      })
      .catch((error: unknown) => translateTransactionError(error, stockOf(sku)));
    if (deleted) return { status: 'deleted' };
    return outcomeOfRefusedDelete(await this.findBySku(sku));
  }
}
