import { Logger } from '@nestjs/common';
import type { mongo } from 'mongoose';
import { openingMovement } from '../mongo-change-records';
import { InventoryDocument, StockMovementDocument } from '../mongo-documents';
import { OPEN_LEDGER } from '../mongo-updates';

/** MongoHandle['transaction'] (not imported: the handle's module runs this at startup). */
type RunTransaction = <T>(work: (session: mongo.ClientSession) => Promise<T>) => Promise<T>;

/** SKUs opened per transaction. */
export const OPENING_BATCH = 100;
const logger = new Logger('MongoSetup');

/**
 * Startup, after collections and indexes: every SKU from before the ledger gets one `opening` movement (id 1) equal to
 * its counters, OPENING_BATCH SKUs per transaction. Exactly once, also with several instances starting together: in
 * the transaction that inserts the movement, the SKU's ledgerSequence is set by a write guarded on its absence
 * (OPEN_LEDGER), so of two instances one commits and the other conflicts, and its rerun finds the SKU opened and skips
 * it; the movement's _id (sku:1) would refuse a second copy anyway. A no-op once done. Returns how many it opened.
 */
export async function writeOpeningMovements(
  inventory: mongo.Collection<InventoryDocument>,
  movements: mongo.Collection<StockMovementDocument>,
  transaction: RunTransaction,
  now: () => Date = () => new Date(),
): Promise<number> {
  let opened = 0;
  for (;;) {
    const batch = await inventory
      .find(OPEN_LEDGER.filter, { projection: { _id: 1 } })
      .limit(OPENING_BATCH)
      .toArray();
    if (batch.length === 0) break;
    opened += await transaction(async (session) => {
      const docs: InventoryDocument[] = [];
      for (const { _id } of batch) {
        const doc = await inventory.findOneAndUpdate({ _id, ...OPEN_LEDGER.filter }, OPEN_LEDGER.update, {
          session,
          returnDocument: 'after',
        });
        if (doc) docs.push(doc);
      }
      const at = now();
      if (docs.length > 0)
        await movements.insertMany(
          docs.map((doc) => openingMovement(doc, at)),
          { session },
        );
      return docs.length;
    });
  }
  if (opened > 0) logger.log(`Wrote the opening stock movement of ${opened} SKU(s) from before the ledger`);
  return opened;
}
