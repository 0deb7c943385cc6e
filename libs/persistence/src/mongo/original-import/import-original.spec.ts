import type { MongoHandle } from '../mongo-handle/database';
import { importOriginalService, OriginalAlreadyImportedError } from './import-original';

const now = new Date('2026-01-06T10:00:00.000Z');
const later = new Date('2026-01-06T10:10:00.000Z');

/** Collections as arrays; a duplicate _id fails like the server (11000), and a failed transaction keeps nothing. */
function fakeDatabase(original: { inventories: object[]; reservations: object[] }, presentSkus: string[] = []) {
  const stored: Record<string, { _id: unknown }[]> = {
    inventory_items: presentSkus.map((_id) => ({ _id })),
    reservation_holds: [],
    stock_movements: [],
    original_import: [],
  };
  const collection = (name: string) => ({
    find: () => ({ toArray: async () => (original as Record<string, object[]>)[name] ?? [] }),
    findOne: async (filter: { _id: unknown }) => stored[name].find((doc) => doc._id === filter._id) ?? null,
    insertOne: async (doc: { _id: unknown }) => {
      if (stored[name].some((d) => d._id === doc._id)) throw Object.assign(new Error('E11000'), { code: 11000 });
      stored[name].push(doc);
    },
    insertMany: async (docs: { _id: unknown }[]) => void stored[name].push(...docs),
  });
  const handle = {
    db: { collection },
    inventory: collection('inventory_items'),
    reservations: collection('reservation_holds'),
    movements: collection('stock_movements'),
    transaction: async (work: (session: unknown) => Promise<unknown>) => {
      const before = Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, [...v]]));
      try {
        return await work({});
      } catch (error) {
        Object.assign(stored, before);
        throw error;
      }
    },
  } as unknown as MongoHandle;
  return { handle, stored };
}

const original = {
  inventories: [
    { _id: 'o1', sku: 'A-1', productName: 'A', totalQuantity: 5, availableQuantity: 3 },
    { _id: 'o2', sku: 'B-1', productName: 'B', totalQuantity: 5, availableQuantity: 5 },
  ],
  reservations: [{ _id: 'h1', sku: 'A-1', userId: 'u', quantity: 2, status: 'RESERVED', expiresAt: later }],
};

describe(importOriginalService.name, () => {
  it('should copy each SKU with its active holds, then refuse a second run', async () => {
    const { handle, stored } = fakeDatabase(original);
    expect(await importOriginalService(handle, now)).toEqual({ imported: { skus: 2, holds: 1 }, alreadyPresent: [], skipped: [] });
    expect(stored.inventory_items.map((d) => d._id)).toEqual(['A-1', 'B-1']);
    expect(stored.reservation_holds).toHaveLength(1);
    // Each SKU opens its ledger at its counters (A-1: 2 of 5 held by the imported hold).
    expect(stored.inventory_items).toMatchObject([{ ledgerSequence: 1 }, { ledgerSequence: 1 }]);
    expect(stored.stock_movements).toMatchObject([
      { _id: 'A-1:1', type: 'opening', totalDelta: 5, availableDelta: 3, reservedDelta: 2, soldDelta: 0, at: now },
      { _id: 'B-1:1', type: 'opening', totalDelta: 5, availableDelta: 5, reservedDelta: 0, soldDelta: 0, at: now },
    ]);
    await expect(importOriginalService(handle, now)).rejects.toThrow(OriginalAlreadyImportedError);
    expect(stored.inventory_items).toHaveLength(2);
  });

  it('should leave a SKU that is already present as it is, with none of its holds, and import the rest', async () => {
    const { handle, stored } = fakeDatabase(original, ['A-1']);
    expect(await importOriginalService(handle, now)).toMatchObject({ imported: { skus: 1, holds: 0 }, alreadyPresent: ['A-1'] });
    expect(stored.reservation_holds).toEqual([]);
    expect(stored.stock_movements.map((m) => m._id)).toEqual(['B-1:1']);
  });
});
