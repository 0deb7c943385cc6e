import { ConflictError, DomainError } from '../errors/domain-error';

/** A request with the same key is still being processed (IETF idempotency-key draft: 409). */
export class IdempotencyRequestInProgressError extends ConflictError {
  override readonly code = 'IDEMPOTENCY_REQUEST_IN_PROGRESS';

  constructor(key: string) {
    super(`A request with idempotency key '${key}' is still being processed; retry shortly`, { idempotencyKey: key });
  }
}

/** An idempotency key was used again for a different request. */
export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly kind = 'unprocessable' as const;

  constructor(key: string) {
    super(`Idempotency key '${key}' was already used with a different request`, { idempotencyKey: key });
  }
}

/**
 * Not a client-facing error: a change asked to write its request's idempotency record (RecordWith) found the key
 * already recorded, or a hold with the key already there, and moved nothing. The idempotency layer catches it and
 * handles the request the claim's way (replay, 409, 422, or a fresh run).
 */
export class RecordDeclinedSignal extends Error {
  constructor(readonly key: string) {
    super(`The idempotency key '${key}' is recorded already; the request must go the claim's way`);
  }
}
