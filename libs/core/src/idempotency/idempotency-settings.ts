export class IdempotencySettings {
  constructor(
    /** How long completed records are kept (at least 24 hours). */
    readonly retentionSeconds: number,
    /** How long an attempt owns its key before a retry may take over (covers a crash mid-request). */
    readonly leaseSeconds: number,
  ) {}
}
