import { ConflictError, DomainError } from '@app/core';

/** The single home of MongoDB error handling in the Mongo adapter: what a server error means, and what the core sees. */

export const MONGO_DUPLICATE_KEY = 11000;
const MONGO_DOCUMENT_VALIDATION_FAILURE = 121;

/** The server error code, also inside bulk-write errors and Mongoose wrappers. */
export function mongoErrorCode(error: unknown): number | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const fields = current as { code?: unknown; writeErrors?: { code?: unknown }[]; cause?: unknown };
    if (typeof fields.code === 'number') return fields.code;
    const first = fields.writeErrors?.[0]?.code;
    if (typeof first === 'number') return first;
    current = fields.cause;
  }
  return undefined;
}

export function isDuplicateKey(error: unknown): boolean {
  return mongoErrorCode(error) === MONGO_DUPLICATE_KEY;
}

/**
 * Translates at the adapter's edge: a duplicate key (11000) becomes `onDuplicateKey()` when given (e.g. DuplicateSkuError),
 * else the core's ConflictError, as does a validator rejection (121). Anything else is rethrown as it is.
 */
export function translateMongoError(error: unknown, onDuplicateKey?: () => DomainError): never {
  const code = mongoErrorCode(error);
  if (code === MONGO_DUPLICATE_KEY) throw onDuplicateKey?.() ?? new ConflictError('Conflicts with existing data (duplicate key)');
  if (code === MONGO_DOCUMENT_VALIDATION_FAILURE) throw new ConflictError('Rejected by the stock rules (document validation)');
  throw error;
}
