/** How much one maintenance run (expiring due holds, purging finished holds and old idempotency records) may do. */
export class MaintenanceSettings {
  constructor(
    /** Most rows one statement expires or purges. */
    readonly batchSize: number,
    /** Most batches one run executes; what is left waits for the next run. */
    readonly maxBatchesPerRun = 20,
  ) {}
}
