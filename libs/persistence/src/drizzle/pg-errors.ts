import { ConflictError } from '@app/core';

export const PG_UNIQUE_VIOLATION = '23505';
const PG_CHECK_VIOLATION = '23514';

interface PgErrorFields {
  code?: string;
  constraint?: string;
}

/** The PostgreSQL error under Drizzle's wrapper (DrizzleQueryError keeps the driver error as `cause`). */
export function pgError(error: unknown): PgErrorFields | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const fields = current as PgErrorFields & { cause?: unknown };
    if (typeof fields.code === 'string' && /^[0-9A-Z]{5}$/.test(fields.code)) return fields;
    current = fields.cause;
  }
  return undefined;
}

/** Translates constraint violations into the core's conflict error; anything else is rethrown as it is. */
export function translatePgError(error: unknown): never {
  const pg = pgError(error);
  if (pg?.code === PG_UNIQUE_VIOLATION) {
    throw new ConflictError(`Conflicts with existing data (${pg.constraint ?? 'unique key'})`, { constraint: pg.constraint });
  }
  if (pg?.code === PG_CHECK_VIOLATION) {
    throw new ConflictError(`Rejected by the stock rules (${pg.constraint ?? 'check constraint'})`, { constraint: pg.constraint });
  }
  throw error;
}
