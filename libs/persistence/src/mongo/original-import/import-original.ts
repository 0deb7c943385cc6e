import { openingMovement } from '../mongo-change-records';
import type { MongoHandle } from '../mongo-handle/database';
import { ORIGINAL_COLLECTIONS } from '../mongo-handle/mongo-setup-plan';
import { isDuplicateKey, translateTransactionError } from '../mongo-errors';
import { OriginalHold, OriginalItem, planOriginalImport } from './original-mapping';

const MARKER_COLLECTION = 'original_import';
const MARKER_ID = 'original-service';

export class OriginalAlreadyImportedError extends Error {
  override name = 'OriginalAlreadyImportedError';
}

export interface ImportReport {
  imported: { skus: number; holds: number };
  /** SKUs already in our collections (created here, or imported by an earlier run that stopped halfway). */
  alreadyPresent: string[];
  skipped: { what: string; reason: string }[];
}

/**
 * Copies the original service's items and active holds into our collections (planOriginalImport decides what), one
 * transaction per SKU: the item, its holds and its opening stock movement (the ledger starts at its counters) land
 * together or not at all. Idempotent: a SKU already present is left
 * as it is, so a run that stopped halfway can simply be run again. Once a run completes, a marker document makes
 * every later run refuse, so the same data is never copied twice (e.g. over holds that have since moved on).
 */
export async function importOriginalService(handle: MongoHandle, now: Date): Promise<ImportReport> {
  const markers = handle.db.collection<{ _id: string; completedAt: Date; skus: number; holds: number }>(MARKER_COLLECTION);
  const done = await markers.findOne({ _id: MARKER_ID });
  if (done) {
    throw new OriginalAlreadyImportedError(
      `The original service's data was imported on ${done.completedAt.toISOString()} ` +
        `(${done.skus} SKUs, ${done.holds} holds); nothing was done. ` +
        `To import again, delete the '${MARKER_ID}' document of the '${MARKER_COLLECTION}' collection first.`,
    );
  }
  const items = await handle.db.collection<OriginalItem>(ORIGINAL_COLLECTIONS.inventory).find({}).toArray();
  const holds = await handle.db.collection<OriginalHold>(ORIGINAL_COLLECTIONS.reservations).find({}).toArray();
  const plan = planOriginalImport(items, holds, now);

  const report: ImportReport = { imported: { skus: 0, holds: 0 }, alreadyPresent: [], skipped: plan.skipped };
  for (const { item, holds: active } of plan.skus) {
    try {
      await handle.transaction(async (session) => {
        const opened = { ...item, ledgerSequence: 1 };
        await handle.inventory.insertOne(opened, { session });
        await handle.movements.insertOne(openingMovement(opened, now), { session });
        if (active.length > 0) await handle.reservations.insertMany(active, { session, ordered: true });
      });
      report.imported.skus++;
      report.imported.holds += active.length;
    } catch (error) {
      if (!isDuplicateKey(error)) translateTransactionError(error, { description: `Item '${item._id}'`, details: { sku: item._id } });
      report.alreadyPresent.push(item._id);
    }
  }
  await markers.insertOne({ _id: MARKER_ID, completedAt: new Date(), skus: report.imported.skus, holds: report.imported.holds });
  return report;
}
