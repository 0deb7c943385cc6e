import { IdempotencyClaim, IdempotencyClaimRequest, IdempotencyCompletion } from './idempotency-record';

/** Port for idempotency records, shared by every instance through the database. Each method is one atomic statement. */
export abstract class IdempotencyRepository {
  /**
   * Inserts an in-progress record for the key, or takes over an in-progress record with the same fingerprint
   * whose lease has run out. Otherwise reports the record as it stands (`contended` if it vanished meanwhile).
   */
  abstract claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim>;

  /** Stores the response, only if `token` still owns the in-progress record. Returns whether it did. */
  abstract complete(completion: IdempotencyCompletion): Promise<boolean>;

  /** Moves the lease of the in-progress record owned by `token` to `leaseUntil`. Returns whether it still owned it. */
  abstract renew(scope: string, key: string, token: string, leaseUntil: Date): Promise<boolean>;

  /** Deletes the in-progress record owned by `token`, so the request may be retried from scratch. */
  abstract release(scope: string, key: string, token: string): Promise<void>;

  /** Deletes up to `limit` records created before `cutoff` (in-progress ones only once their lease ran out). */
  abstract purgeCreatedBefore(cutoff: Date, now: Date, limit: number): Promise<number>;
}
