/** Time rules for holds, supplied by the application's configuration. */
export class ReservationSettings {
  constructor(
    /** How long a hold lasts. */
    readonly ttlSeconds: number,
    /** How long finished holds are kept before the sweeper deletes them. */
    readonly finishedRetentionSeconds: number,
    /** Most holds one sweep expires or purges per statement. */
    readonly sweepBatchSize: number,
  ) {}
}
