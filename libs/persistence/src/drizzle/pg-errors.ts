import { ConflictError, DomainError } from '@app/core';

/** The single home of PostgreSQL error handling in the Drizzle adapter: what a driver error means, and what the core sees. */

export const PG_UNIQUE_VIOLATION = '23505';
const PG_CHECK_VIOLATION = '23514';
export const PG_DEADLOCK = '40P01';

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

export function isUniqueViolation(error: unknown): boolean {
  return pgError(error)?.code === PG_UNIQUE_VIOLATION;
}

/** PostgreSQL aborted the whole statement (nothing moved) to break a lock cycle. */
export function isDeadlock(error: unknown): boolean {
  return pgError(error)?.code === PG_DEADLOCK;
}

/**
 * Translates constraint violations into the core's conflict errors: a unique violation into `onUniqueViolation()`
 * when given (e.g. DuplicateSkuError), else ConflictError. Anything else is rethrown as it is.
 */
export function translatePgError(error: unknown, onUniqueViolation?: () => DomainError): never {
  const pg = pgError(error);
  if (pg?.code === PG_UNIQUE_VIOLATION) {
    const conflict = () =>
      new ConflictError(`Conflicts with existing data (${pg.constraint ?? 'unique key'})`, { constraint: pg.constraint });
    throw (onUniqueViolation ?? conflict)();
  }
  if (pg?.code === PG_CHECK_VIOLATION) {
    throw new ConflictError(`Rejected by the stock rules (${pg.constraint ?? 'check constraint'})`, { constraint: pg.constraint });
  }
  throw error;
}
