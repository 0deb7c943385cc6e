export class IdempotencySettings {
  constructor(
    /** How long completed records are kept (at least 24 hours). */
    readonly retentionSeconds: number,
    /** How long an attempt owns its key before a retry may take over (covers a crash mid-request). */
    readonly leaseSeconds: number,
  ) {}

  /** A running request renews its lease this often, so only a crashed one lets its lease run out. */
  get renewIntervalMs(): number {
    return Math.max(100, Math.floor((this.leaseSeconds * 1000) / 3));
  }
}
