import { DuplicateSkuError } from '@app/core';
import type { MongoHandle } from './mongo-handle/database';
import { InventoryDocument } from './mongo-documents';
import { MongoInventoryRepository } from './mongo-inventory.repository';
import { lastMovementIdsPipeline } from './mongo-updates';

/**
 * The order and decisions of the inventory writes over a recording stand-in (no server), as in the reservation spec:
 * each call is recorded as `collection.method` with its arguments; results are queued per `collection.method`.
 */
function recordingHandle(results: Record<string, unknown[]> = {}) {
  const calls: string[] = [];
  const args: Record<string, unknown[][]> = {};
  const next = (name: string) => (results[name]?.length ? results[name].shift() : null);
  const collection = (name: string) =>
    new Proxy(
      {},
      {
        get:
          (_target, method: string) =>
          (...given: unknown[]) => {
            const call = `${name}.${method}`;
            calls.push(call);
            (args[call] ??= []).push(given);
            const result = next(call);
            if (result instanceof Error) return Promise.reject(result);
            const cursor = { sort: () => cursor, limit: () => cursor, toArray: async () => result ?? [] };
            return method === 'find' || method === 'aggregate' ? cursor : Promise.resolve(result);
          },
      },
    );
  const handle = {
    inventory: collection('inventory'),
    reservations: collection('reservations'),
    movements: collection('movements'),
    outbox: collection('outbox'),
    transaction: async (work: (s: unknown) => Promise<unknown>) => {
      calls.push('transaction');
      return work({});
    },
  } as unknown as MongoHandle;
  const inserted = (call: string) => (args[call] ?? []).flatMap((given) => given[0] as Record<string, unknown>[]);
  return { calls, args, inserted, repository: new MongoInventoryRepository(handle) };
}

const at = new Date('2026-01-06T10:00:00.000Z');
const before: InventoryDocument = {
  _id: 'SKU-1',
  productName: 'P',
  totalQuantity: 10,
  availableQuantity: 6,
  reservedQuantity: 2,
  soldQuantity: 2,
  maxPerCustomer: null,
  lowStockThreshold: 5,
  ledgerSequence: 7,
  createdAt: at,
  updatedAt: at,
};

describe('MongoInventoryRepository decisions', () => {
  it('should create an item with its created movement and event, continuing the ledger of a SKU deleted before', async () => {
    const { calls, args, inserted, repository } = recordingHandle({ 'movements.aggregate': [[{ _id: 'SKU-1', id: 9 }]] });
    const item = await repository.insert({ sku: 'SKU-1', productName: 'P', totalQuantity: 5, availableQuantity: 5 }, at, { actor: 'k' });
    expect(item).toMatchObject({ sku: 'SKU-1', availableQuantity: 5, lowStockThreshold: null });
    expect(calls).toEqual(['transaction', 'movements.aggregate', 'inventory.insertOne', 'movements.insertMany', 'outbox.insertMany']);
    expect(args['movements.aggregate'][0][0]).toEqual(lastMovementIdsPipeline(['SKU-1']));
    expect(args['inventory.insertOne'][0][0]).toMatchObject({ _id: 'SKU-1', ledgerSequence: 10 });
    expect(inserted('movements.insertMany')).toMatchObject([
      { _id: 'SKU-1:10', type: 'created', totalDelta: 5, availableDelta: 5, reservedDelta: 0, soldDelta: 0, actor: 'k' },
    ]);
    // Creation tells no threshold crossing: inventory.created says it.
    expect(inserted('outbox.insertMany').map((e) => e.type)).toEqual(['inventory.created']);
  });

  it('should answer a taken SKU with DuplicateSkuError', async () => {
    const { repository } = recordingHandle({ 'inventory.insertOne': [Object.assign(new Error('E11000'), { code: 11000 })] });
    await expect(repository.insert({ sku: 'SKU-1', productName: 'P', totalQuantity: 1, availableQuantity: 1 }, at)).rejects.toThrow(
      DuplicateSkuError,
    );
  });

  it('should record only the items the bulk upsert inserted, each with its own created movement', async () => {
    const { inserted, repository } = recordingHandle({ 'inventory.bulkWrite': [{ upsertedIds: { 1: 'B-1' } }] });
    const items = ['A-1', 'B-1'].map((sku) => ({ sku, productName: 'P', totalQuantity: 3, availableQuantity: 3 }));
    expect(await repository.insertManySkippingExisting(items, at)).toMatchObject({ created: [{ sku: 'B-1' }], existingSkus: ['A-1'] });
    expect(inserted('movements.insertMany').map((m) => m._id)).toEqual(['B-1:1']);
    expect(inserted('outbox.insertMany').map((e) => e.orderingKey)).toEqual(['sku:B-1']);
  });

  it('should append an adjusted movement with the next id, the update event, then the crossing, when a counter changed', async () => {
    const { calls, args, inserted, repository } = recordingHandle({ 'inventory.findOneAndUpdate': [before] });
    const result = await repository.updateIfRulesHold('SKU-1', { availableQuantity: 3 }, at, { actor: 'k', reason: 'recount' });
    expect(result).toMatchObject({ status: 'updated', item: { availableQuantity: 3, totalQuantity: 10, updatedAt: at } });
    expect(calls).toEqual(['transaction', 'inventory.findOneAndUpdate', 'movements.insertMany', 'outbox.insertMany']);
    expect(args['inventory.findOneAndUpdate'][0][2]).toMatchObject({ returnDocument: 'before' });
    expect(inserted('movements.insertMany')).toMatchObject([
      { _id: 'SKU-1:8', type: 'adjusted', availableDelta: -3, totalDelta: 0, reason: 'recount', actor: 'k' },
    ]);
    // 6 -> 3 with threshold 5: low stock.
    expect(inserted('outbox.insertMany').map((e) => e.type)).toEqual(['inventory.updated', 'inventory.low_stock']);
  });

  it('should write only inventory.updated, movement null, when no counter changed (also a counter set to its value)', async () => {
    for (const changes of [{ productName: 'Q' }, { totalQuantity: 10 }]) {
      const { calls, inserted, repository } = recordingHandle({ 'inventory.findOneAndUpdate': [before] });
      expect(await repository.updateIfRulesHold('SKU-1', changes, at)).toMatchObject({ status: 'updated' });
      expect(calls).not.toContain('movements.insertMany');
      expect(inserted('outbox.insertMany')).toMatchObject([{ type: 'inventory.updated', data: { movement: null } }]);
    }
  });

  it('should write nothing for a refused update, and say why from a read after it', async () => {
    const { calls, repository } = recordingHandle({ 'inventory.findOne': [before] });
    expect(await repository.updateIfRulesHold('SKU-1', { availableQuantity: 7 }, at)).toMatchObject({ status: 'rule_broken' });
    expect(calls).toEqual(['transaction', 'inventory.findOneAndUpdate', 'inventory.findOne']);
  });

  it('should delete with a deleted movement taking every counter to 0, and the item as it was in the event', async () => {
    const { inserted, repository } = recordingHandle({
      'inventory.findOneAndDelete': [{ ...before, reservedQuantity: 0, availableQuantity: 8 }],
    });
    expect(await repository.deleteIfNoActiveReservations('SKU-1', at, { actor: 'k' })).toEqual({ status: 'deleted' });
    expect(inserted('movements.insertMany')).toMatchObject([
      { _id: 'SKU-1:8', type: 'deleted', totalDelta: -10, availableDelta: -8, reservedDelta: 0, soldDelta: -2, actor: 'k', at },
    ]);
    expect(inserted('outbox.insertMany')).toMatchObject([{ type: 'inventory.deleted', data: { item: { availableQuantity: 8 } } }]);
  });
});
