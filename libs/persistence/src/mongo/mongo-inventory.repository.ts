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
} from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import type { Connection, Model, mongo } from 'mongoose';
import { InventoryDocument, ReservationDocument } from './mongo-documents';
import { MONGO_DUPLICATE_KEY, mongoErrorCode, translateMongoError } from './mongo-errors';
import { toInventoryItem } from './mongo-mappers';
import { guardedInventoryChanges } from './mongo-updates';
import { typedCollection } from './typed-collection';
import { INVENTORY_MODEL, MONGO_READY, RESERVATION_MODEL } from './mongo.tokens';

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
const DELETE_ATTEMPTS = 3;

@Injectable()
export class MongoInventoryRepository extends InventoryRepository {
  private readonly items: mongo.Collection<InventoryDocument>;
  private readonly reservations: mongo.Collection<ReservationDocument>;

  constructor(
    @InjectModel(INVENTORY_MODEL) itemsModel: Model<InventoryDocument>,
    @InjectModel(RESERVATION_MODEL) reservationsModel: Model<ReservationDocument>,
    @InjectConnection() private readonly connection: Connection,
    @Inject(MONGO_READY) _ready: unknown,
  ) {
    super();
    this.items = typedCollection(itemsModel);
    this.reservations = typedCollection(reservationsModel);
  }

  async insert(item: NewInventoryItem): Promise<InventoryItem> {
    const doc = newDocument(item, new Date());
    try {
      await this.items.insertOne(doc);
    } catch (error) {
      if (mongoErrorCode(error) === MONGO_DUPLICATE_KEY) throw new DuplicateSkuError(item.sku);
      translateMongoError(error);
    }
    return toInventoryItem(doc);
  }

  async insertManySkippingExisting(items: NewInventoryItem[]): Promise<InventoryBulkInsertResult> {
    if (items.length === 0) return { created: [], existingSkus: [] };
    const now = new Date();
    const docs = items.map((item) => newDocument(item, now));
    // One upsert per SKU that only inserts, all in one transaction: existing SKUs are left untouched and reported.
    const result = await this.connection
      .transaction((session) =>
        this.items.bulkWrite(
          docs.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true } })),
          { ordered: true, session },
        ),
      )
      .catch(translateMongoError);
    const inserted = new Set(Object.values(result.upsertedIds).map(String));
    return {
      created: docs.filter((doc) => inserted.has(doc._id)).map(toInventoryItem),
      existingSkus: docs.filter((doc) => !inserted.has(doc._id)).map((doc) => doc._id),
    };
  }

  async findBySku(sku: string): Promise<InventoryItem | null> {
    const doc = await this.items.findOne({ _id: sku });
    return doc ? toInventoryItem(doc) : null;
  }

  async findPage(query: InventoryPageQuery): Promise<InventoryPage> {
    const direction = query.sortOrder === 'desc' ? -1 : 1;
    const sort: Record<string, 1 | -1> = { [SORT_FIELD[query.sortBy]]: direction };
    if (query.sortBy !== 'sku') sort._id = 1;
    const [docs, total] = await Promise.all([
      this.items.find({}).sort(sort).skip(query.offset).limit(query.limit).toArray(),
      this.items.countDocuments({}),
    ]);
    return { items: docs.map(toInventoryItem), total };
  }

  async updateIfRulesHold(sku: string, changes: InventoryChanges): Promise<InventoryUpdateResult> {
    const { filter, update } = guardedInventoryChanges(sku, changes, new Date());
    const doc = await this.items.findOneAndUpdate(filter, update, { returnDocument: 'after' }).catch(translateMongoError);
    if (doc) return { status: 'updated', item: toInventoryItem(doc) };
    const current = await this.findBySku(sku);
    return current ? { status: 'rule_broken', current } : { status: 'not_found' };
  }

  /** Deletes the item and its finished holds together, as the SQL foreign key's cascade does. */
  async deleteIfNoActiveReservations(sku: string): Promise<InventoryDeleteResult> {
    for (let attempt = 1; ; attempt++) {
      const deleted = await this.connection.transaction(async (session) => {
        const doc = await this.items.findOneAndDelete({ _id: sku, reservedQuantity: 0 }, { session });
        if (doc) await this.reservations.deleteMany({ sku, status: { $ne: 'RESERVED' } }, { session });
        return doc !== null;
      });
      if (deleted) return { status: 'deleted' };
      const current = await this.findBySku(sku);
      if (!current) return { status: 'not_found' };
      if (current.reservedQuantity > 0 || attempt >= DELETE_ATTEMPTS) {
        return { status: 'has_active_reservations', reservedQuantity: current.reservedQuantity };
      }
    }
  }
}

function newDocument(item: NewInventoryItem, now: Date): InventoryDocument {
  return {
    _id: item.sku,
    productName: item.productName,
    totalQuantity: item.totalQuantity,
    availableQuantity: item.availableQuantity,
    reservedQuantity: 0,
    soldQuantity: 0,
    createdAt: now,
    updatedAt: now,
  };
}
