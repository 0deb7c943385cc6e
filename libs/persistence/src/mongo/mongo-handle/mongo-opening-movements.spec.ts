import { Logger } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { InventoryDocument, StockMovementDocument } from '../mongo-documents';
import { OPEN_LEDGER } from '../mongo-updates';
import { OPENING_BATCH, writeOpeningMovements } from './mongo-opening-movements';

const at = new Date('2026-01-06T10:00:00.000Z');
const legacy = (sku: string): InventoryDocument => ({
  _id: sku,
  productName: 'P',
  totalQuantity: 9,
  availableQuantity: 4,
  reservedQuantity: 3,
  soldQuantity: 2,
  createdAt: at,
  updatedAt: at,
});

/**
 * A stand-in inventory whose documents lose their missing ledgerSequence to the guarded update, as on a server; `taken`
 * SKUs were opened by another instance between the find and the update (the guard matches nothing).
 */
function stand(docs: InventoryDocument[], taken: string[] = []) {
  const stored = new Map(docs.map((doc) => [doc._id, { ...doc }]));
  const inserted: StockMovementDocument[] = [];
  let transactions = 0;
  const inventory = {
    find: (filter: object) => {
      expect(filter).toEqual(OPEN_LEDGER.filter);
      const open = [...stored.values()].filter((doc) => doc.ledgerSequence === undefined);
      return { limit: (n: number) => ({ toArray: async () => open.slice(0, n).map(({ _id }) => ({ _id })) }) };
    },
    findOneAndUpdate: async (filter: { _id: string }) => {
      const doc = stored.get(filter._id)!;
      if (taken.includes(doc._id)) doc.ledgerSequence = 1;
      else if (doc.ledgerSequence === undefined) return { ...Object.assign(doc, { ledgerSequence: 1 }) };
      return null;
    },
  } as unknown as mongo.Collection<InventoryDocument>;
  const movements = {
    insertMany: async (docs: StockMovementDocument[]) => void inserted.push(...docs),
  } as unknown as mongo.Collection<StockMovementDocument>;
  const transaction = async <T>(work: (session: mongo.ClientSession) => Promise<T>): Promise<T> => {
    transactions++;
    return work({} as mongo.ClientSession);
  };
  return { inventory, movements, transaction, inserted, transactions: () => transactions };
}

describe(writeOpeningMovements.name, () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('should open every SKU from before the ledger with movement 1 equal to its counters, in batches', async () => {
    const skus = Array.from({ length: OPENING_BATCH + 1 }, (_, i) => `SKU-${i}`);
    const { inventory, movements, transaction, inserted, transactions } = stand(skus.map(legacy));
    expect(await writeOpeningMovements(inventory, movements, transaction, () => at)).toBe(skus.length);
    expect(transactions()).toBe(2);
    expect(inserted.map((m) => m._id)).toEqual(skus.map((sku) => `${sku}:1`));
    expect(inserted[0]).toMatchObject({ id: 1, type: 'opening', totalDelta: 9, availableDelta: 4, reservedDelta: 3, soldDelta: 2, at });
  });

  it('should skip SKUs another instance opened meanwhile, and do nothing once every SKU is open', async () => {
    const { inventory, movements, transaction, inserted } = stand([legacy('A-1'), legacy('B-1')], ['A-1']);
    expect(await writeOpeningMovements(inventory, movements, transaction, () => at)).toBe(1);
    expect(inserted.map((m) => m._id)).toEqual(['B-1:1']);
    expect(await writeOpeningMovements(inventory, movements, transaction, () => at)).toBe(0);
    expect(inserted).toHaveLength(1);
  });
});
