import { OutcomeRecord, RECORDED_HOLD, ResponseRecord } from '@app/core';
import { sql, SQL } from 'drizzle-orm';
import { holdJson, linesJson } from './drizzle-ledger-sql';
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
  return insertRecord(record, record.response.statusCode, sql`${JSON.stringify(record.response.body ?? null)}::jsonb`, source);
}

/**
 * As recordResponse, for a change whose answer is rendered from its outcome (OutcomeRecord): the body keeps the hold
 * row `hold` (a CTE alias) with the lines of CTE `lines`, as a holdSnapshot under RECORDED_HOLD.
 */
export function recordOutcome(record: OutcomeRecord, hold: string): SQL {
  const body = sql`jsonb_build_object(${RECORDED_HOLD}::text, ${holdJson(hold, linesJson(sql`lines`))})`;
  return insertRecord(record, record.statusCode, body, sql`FROM ${sql.raw(hold)}`);
}

function insertRecord(record: Omit<ResponseRecord, 'response'>, statusCode: number, body: SQL, source: SQL): SQL {
  const now = isoTimestamp(record.now);
  return sql`recorded AS (
      INSERT INTO idempotency_records
        (scope, key, fingerprint, token, lease_until, response_status, response_body, created_at, completed_at)
      SELECT ${record.scope}, ${record.key}, ${record.fingerprint}, ${record.token}::uuid, ${now}::timestamptz,
             ${statusCode}::integer, ${body},
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
