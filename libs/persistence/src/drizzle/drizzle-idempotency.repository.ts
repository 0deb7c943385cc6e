import { claimOfExistingRecord, IdempotencyClaim, IdempotencyClaimRequest, IdempotencyCompletion, IdempotencyRepository } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { sql, SQL } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { isoTimestamp, toExistingRecord } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';

@Injectable()
export class DrizzleIdempotencyRepository extends IdempotencyRepository {
  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  /** One attempt: insert or take over, else read the record that refused it (`contended` if it was released meanwhile). */
  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    const claimed = await this.handle.prepared<{ token: string }>(
      'idempotency_claim',
      sql`
      INSERT INTO idempotency_records (scope, key, fingerprint, token, lease_until, created_at)
      VALUES (${request.scope}, ${request.key}, ${request.fingerprint}, ${request.token}::uuid,
              ${isoTimestamp(request.leaseUntil)}::timestamptz, ${isoTimestamp(request.now)}::timestamptz)
      ON CONFLICT (scope, key) DO UPDATE
        SET token = EXCLUDED.token, lease_until = EXCLUDED.lease_until
        WHERE idempotency_records.response_status IS NULL
          AND idempotency_records.lease_until < EXCLUDED.created_at
          AND idempotency_records.fingerprint = EXCLUDED.fingerprint
      RETURNING token`,
    );
    if (claimed.length > 0) return { status: 'claimed' };

    const [existing] = await this.rows<{ fingerprint: string; response_status: number | null; response_body: unknown }>(sql`
      SELECT fingerprint, response_status, response_body FROM idempotency_records
      WHERE scope = ${request.scope} AND key = ${request.key}`);
    return claimOfExistingRecord(existing ? toExistingRecord(existing) : null);
  }

  /** `retainUntil` is not stored: records are purged by `created_at` (purgeCreatedBefore). */
  async complete({ scope, key, token, response, now }: IdempotencyCompletion): Promise<boolean> {
    const rows = await this.handle.prepared(
      'idempotency_complete',
      sql`
      UPDATE idempotency_records
      SET response_status = ${response.statusCode}::integer, response_body = ${JSON.stringify(response.body)}::jsonb,
          completed_at = ${isoTimestamp(now)}::timestamptz
      WHERE scope = ${scope} AND key = ${key} AND token = ${token}::uuid AND response_status IS NULL
      RETURNING key`,
    );
    return rows.length > 0;
  }

  async renew(scope: string, key: string, token: string, leaseUntil: Date): Promise<boolean> {
    const rows = await this.handle.prepared(
      'idempotency_renew',
      sql`
      UPDATE idempotency_records SET lease_until = ${isoTimestamp(leaseUntil)}::timestamptz
      WHERE scope = ${scope} AND key = ${key} AND token = ${token}::uuid AND response_status IS NULL
      RETURNING key`,
    );
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
    return this.handle.rows<T>(query);
  }
}
