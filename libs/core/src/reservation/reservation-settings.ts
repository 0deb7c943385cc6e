import { HoldFinish } from './reservation';

/** Time rules for holds, supplied by the application's configuration. */
export class ReservationSettings {
  constructor(
    /** How long a hold lasts. */
    readonly ttlSeconds: number,
    /** How long finished holds are kept before they are deleted. */
    readonly finishedRetentionSeconds: number,
  ) {}

  /** A hold that finishes at `now` is kept until now + the retention. */
  finishAt(now: Date): HoldFinish {
    return { now, retainUntil: new Date(now.getTime() + this.finishedRetentionSeconds * 1000) };
  }
}
