import { MaintenanceSettings } from './maintenance-settings';

/**
 * Runs `batch(batchSize)` until a batch handles fewer than `batchSize` rows (nothing left) or
 * `maxBatchesPerRun` batches ran; returns how many rows they handled in all.
 */
export async function runInBatches(settings: MaintenanceSettings, batch: (limit: number) => Promise<number>): Promise<number> {
  let handled = 0;
  for (let run = 0; run < settings.maxBatchesPerRun; run++) {
    const count = await batch(settings.batchSize);
    handled += count;
    if (count < settings.batchSize) break;
  }
  return handled;
}
