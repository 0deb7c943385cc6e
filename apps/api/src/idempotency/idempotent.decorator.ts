import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export const IDEMPOTENT = Symbol('IDEMPOTENT');

export interface IdempotentOptions {
  /** Keys are unique per scope (one scope per operation). */
  scope: string;
  /** Without a key: 400 when required, otherwise the request runs without idempotency. */
  required: boolean;
}

/** Marks a handler for the IdempotencyInterceptor. */
export const Idempotent = (options: IdempotentOptions) => SetMetadata(IDEMPOTENT, options);

export interface IdempotentRequest {
  idempotencyKey?: string;
}

/** The effective idempotency key of the request (header first, then body), set by the interceptor. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<IdempotentRequest>().idempotencyKey;
});
