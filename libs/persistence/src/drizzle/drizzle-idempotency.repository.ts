import { claimOfExistingRecord, IdempotencyClaim, IdempotencyClaimRequest, IdempotencyRepository, StoredResponse } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-database';
import { DRIZZLE_HANDLE } from './drizzle.tokens';
import { isoTimestamp, queryRows } from './raw-rows';

/** A claim can race a release of the same key; re-claiming is bounded. */
const CLAIM_ATTEMPTS = 3;

@Injectable()
export class DrizzleIdempotencyRepository extends IdempotencyRepository {
  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    for (let attempt = 1; ; attempt++) {
      const claimed = await this.handle.prepared<{ token: string }>('idempotency_claim', sql`
        INSERT INTO idempotency_records (scope, key, fingerprint, token, lease_until, created_at)
        VALUES (${request.scope}, ${request.key}, ${request.fingerprint}, ${request.token}::uuid,
                ${isoTimestamp(request.leaseUntil)}::timestamptz, ${isoTimestamp(request.now)}::timestamptz)
        ON CONFLICT (scope, key) DO UPDATE
          SET token = EXCLUDED.token, lease_until = EXCLUDED.lease_until
          WHERE idempotency_records.response_status IS NULL
            AND idempotency_records.lease_until < EXCLUDED.created_at
            AND idempotency_records.fingerprint = EXCLUDED.fingerprint
        RETURNING token`);
      if (claimed.length > 0) return { status: 'claimed' };

      const [existing] = await this.rows<{ fingerprint: string; response_status: number | null; response_body: unknown }>(sql`
        SELECT fingerprint, response_status, response_body FROM idempotency_records
        WHERE scope = ${request.scope} AND key = ${request.key}`);
      if (existing) {
        return claimOfExistingRecord({
          fingerprint: existing.fingerprint,
          responseStatus: existing.response_status,
          responseBody: existing.response_body,
        });
      }
      if (attempt >= CLAIM_ATTEMPTS) throw new Error(`Could not claim idempotency key '${request.key}': it kept changing`);
    }
  }

  async complete(scope: string, key: string, token: string, response: StoredResponse, now: Date): Promise<boolean> {
    const rows = await this.handle.prepared('idempotency_complete', sql`
      UPDATE idempotency_records
      SET response_status = ${response.statusCode}::integer, response_body = ${JSON.stringify(response.body)}::jsonb,
          completed_at = ${isoTimestamp(now)}::timestamptz
      WHERE scope = ${scope} AND key = ${key} AND token = ${token}::uuid AND response_status IS NULL
      RETURNING key`);
    return rows.length > 0;
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    await this.rows(sql`
      DELETE FROM idempotency_records
      WHERE scope = ${scope} AND key = ${key} AND token = ${token}::uuid AND response_status IS NULL
      RETURNING key`);
  }

  async purgeCreatedBefore(cutoff: Date, now: Date, limit: number): Promise<number> {
    const rows = await this.rows(sql`
      WITH doomed AS (
        SELECT scope, key FROM idempotency_records
        WHERE created_at < ${isoTimestamp(cutoff)}::timestamptz
          AND (response_status IS NOT NULL OR lease_until < ${isoTimestamp(now)}::timestamptz)
        LIMIT ${limit}::integer
        FOR UPDATE SKIP LOCKED
      )
      DELETE FROM idempotency_records USING doomed
      WHERE idempotency_records.scope = doomed.scope AND idempotency_records.key = doomed.key
      RETURNING idempotency_records.key`);
    return rows.length;
  }

  private rows<T extends Record<string, unknown> = Record<string, unknown>>(query: SQL): Promise<T[]> {
    return queryRows<T>(this.handle.db, query);
  }
}
