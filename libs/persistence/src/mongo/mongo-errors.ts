import { ConcurrentModificationError, ConflictError, DomainError, RaceSubject } from '@app/core';
import { isDatabaseUnavailableError } from '../database-unavailable';
import { TransactionDeadlineError } from './mongo-handle/bounded-transaction';

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
 * else the core's ConflictError, as does a validator rejection (121). Anything else goes to `otherwise` (rethrown as it is).
 */
export function translateMongoError(
  error: unknown,
  onDuplicateKey?: () => DomainError,
  otherwise: (error: unknown) => never = rethrow,
): never {
  const code = mongoErrorCode(error);
  if (code === MONGO_DUPLICATE_KEY) throw onDuplicateKey?.() ?? new ConflictError('Conflicts with existing data (duplicate key)');
  if (code === MONGO_DOCUMENT_VALIDATION_FAILURE) throw new ConflictError('Rejected by the stock rules (document validation)');
  return otherwise(error);
}

function rethrow(error: unknown): never {
  throw error;
}

/** True when `error` or one of its causes carries the driver's error label (MongoError.hasErrorLabel). */
export function hasErrorLabel(error: unknown, label: 'TransientTransactionError' | 'UnknownTransactionCommitResult'): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const fields = current as { hasErrorLabel?: (label: string) => boolean; errorLabels?: unknown; cause?: unknown };
    if (
      typeof fields.hasErrorLabel === 'function'
        ? fields.hasErrorLabel(label)
        : Array.isArray(fields.errorLabels) && fields.errorLabels.includes(label)
    ) {
      return true;
    }
    current = fields.cause;
  }
  return false;
}

/** A commit whose outcome is unknown after the driver's retries (e.g. maxCommitTimeMS passed waiting for a majority). */
export class MongoCommitUnconfirmedError extends Error {
  override name = 'MongoCommitUnconfirmedError';

  constructor(cause: unknown) {
    super('MongoDB did not confirm the commit in time; its outcome is unknown', { cause });
  }
}

/**
 * What a transaction that gave up means to the client, never a 500: the database went away (failover codes, network:
 * left as they are, answered 503); its commit was never confirmed (503: a retry finds the hold by its idempotency key,
 * or the finished hold); it kept losing write conflicts on `subject` until its deadline (409 CONCURRENT_MODIFICATION,
 * retryable, the idempotency key released). Anything else is rethrown unchanged.
 */
export function translateTransactionError(error: unknown, subject: RaceSubject): never {
  if (isDatabaseUnavailableError(error)) throw error;
  if (hasErrorLabel(error, 'UnknownTransactionCommitResult')) throw new MongoCommitUnconfirmedError(error);
  if (error instanceof TransactionDeadlineError || hasErrorLabel(error, 'TransientTransactionError')) {
    throw new ConcurrentModificationError(subject.description, subject.details);
  }
  throw error;
}
