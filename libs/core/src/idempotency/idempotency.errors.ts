import { ConflictError } from '../errors/domain-error';

/** A request with the same key is still being processed (IETF idempotency-key draft: 409). */
export class IdempotencyRequestInProgressError extends ConflictError {
  override readonly code = 'IDEMPOTENCY_REQUEST_IN_PROGRESS';

  constructor(key: string) {
    super(`A request with idempotency key '${key}' is still being processed; retry shortly`, { idempotencyKey: key });
  }
}
