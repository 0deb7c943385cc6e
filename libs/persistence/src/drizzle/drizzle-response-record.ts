import { ResponseRecord } from '@app/core';
import { sql, SQL } from 'drizzle-orm';
import { isoTimestamp } from './drizzle-mappers';
import { pgError, PG_UNIQUE_VIOLATION } from './pg-errors';

/** The primary key of idempotency_records (migration 0001): the key is recorded already. */
const RECORD_KEY_CONSTRAINT = 'idempotency_records_scope_key_pk';

/**
 * A data-modifying CTE `recorded` writing the request's idempotency record complete, one row per row of `source`
 * (a hold just inserted): without ON CONFLICT, so a record already there aborts the whole statement (nothing moves),
 * and a concurrent writer of the same key is waited for, then refused the same way.
 */
export function recordResponse(record: ResponseRecord, source: SQL): SQL {
  const now = isoTimestamp(record.now);
  return sql`recorded AS (
      INSERT INTO idempotency_records
        (scope, key, fingerprint, token, lease_until, response_status, response_body, created_at, completed_at)
      SELECT ${record.scope}, ${record.key}, ${record.fingerprint}, ${record.token}::uuid, ${now}::timestamptz,
             ${record.response.statusCode}::integer, ${JSON.stringify(record.response.body ?? null)}::jsonb,
             ${now}::timestamptz, ${now}::timestamptz
      ${source}
      RETURNING key
    )`;
}

/** The statement was refused because the request's idempotency key is recorded already. */
export function isRecordedKey(error: unknown): boolean {
  const pg = pgError(error);
  return pg?.code === PG_UNIQUE_VIOLATION && pg.constraint === RECORD_KEY_CONSTRAINT;
}
