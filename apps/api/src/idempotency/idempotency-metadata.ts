export const IDEMPOTENT = Symbol('IDEMPOTENT');

export interface IdempotentOptions {
  /** Keys are unique per scope (one scope per operation). */
  scope: string;
  /** Without a key: 400 when required, otherwise the request runs without idempotency. */
  required: boolean;
}

export interface IdempotentRequest {
  idempotencyKey?: string;
}
