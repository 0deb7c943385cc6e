/**
 * What kind of failure a domain error is. The HTTP layer maps kinds to statuses;
 * the core never speaks HTTP.
 */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'gone' | 'unprocessable' | 'unauthenticated' | 'forbidden';

/** Base of every error the core throws on purpose. `code` is stable: clients may match on it. */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly kind: DomainErrorKind;

  constructor(
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A write collided with existing data (a unique key, a concurrent change). */
export class ConflictError extends DomainError {
  readonly code: string = 'CONFLICT';
  readonly kind = 'conflict' as const;
}

/**
 * A guarded write kept losing to concurrent writers; the request may simply be retried. Thrown by retryLostRaces, and by
 * an adapter whose own bounded retries of a conflicting transaction ran out (MongoDB's write conflicts).
 */
export class ConcurrentModificationError extends ConflictError {
  override readonly code: string = 'CONCURRENT_MODIFICATION';

  /** `subject` names what kept changing, e.g. "Stock of 'SKU-1'". */
  constructor(subject: string, details?: Record<string, unknown>) {
    super(`${subject} kept changing concurrently; retry the request`, details);
  }
}

/** Input that is well-formed but breaks a domain rule before anything is written. */
export class InvalidInputError extends DomainError {
  readonly code: string = 'INVALID_INPUT';
  readonly kind = 'invalid' as const;
}

/** A paging cursor this service did not issue (or issued for another list). */
export class InvalidCursorError extends InvalidInputError {
  override readonly code: string = 'INVALID_CURSOR';

  constructor(cursor: string) {
    super(`cursor '${cursor.slice(0, 80)}' is not one this service issued`, { cursor: cursor.slice(0, 80) });
  }
}
