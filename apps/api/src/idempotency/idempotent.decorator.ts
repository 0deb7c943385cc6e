import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseInterceptors } from '@nestjs/common';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT, IdempotentOptions, IdempotentRequest } from './idempotency-metadata';

export type { IdempotentOptions, IdempotentRequest } from './idempotency-metadata';

/**
 * Wraps a handler in the IdempotencyInterceptor. Only these handlers get it: an interceptor on every route
 * costs each request Nest's interceptor plumbing (measured on the read path; see BENCHMARKS.md).
 */
export const Idempotent = (options: IdempotentOptions) => applyDecorators(SetMetadata(IDEMPOTENT, options), UseInterceptors(IdempotencyInterceptor));

/** The effective idempotency key of the request (header first, then body), set by the interceptor. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<IdempotentRequest>().idempotencyKey;
});
