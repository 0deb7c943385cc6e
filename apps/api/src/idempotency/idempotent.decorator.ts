import type { RecordDraft, RecordWith, StoredResponse } from '@app/core';
import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_RULE } from './idempotency-key';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IDEMPOTENT, IdempotentOptions, IdempotentRequest } from './idempotency-metadata';

export type { IdempotentOptions, IdempotentRequest } from './idempotency-metadata';

/**
 * Wraps a handler in the IdempotencyInterceptor. Only these handlers get it: an interceptor on every route
 * costs each request Nest's interceptor plumbing (measured on the read path; see BENCHMARKS.md).
 */
export const Idempotent = (options: IdempotentOptions) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: options.required
        ? `${IDEMPOTENCY_KEY_RULE}; wins over X-Idempotency-Key and the body field. One of the three is required.`
        : `Optional (${IDEMPOTENCY_KEY_RULE}): a retry with the same key replays the first response.`,
    }),
  );

/** The effective idempotency key of the request (header first, then body), set by the interceptor. */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<IdempotentRequest>().idempotencyKey;
});

/** The draft of the record a `recordsItself` handler writes with its change; undefined when the claim's way runs it. */
export const RecordDraftOf = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return context.switchToHttp().getRequest<IdempotentRequest>().recordDraft;
});

/** What a handler passes to its change so the record is written with it: the draft, and its response as `statusCode`. */
export function recordWith<T>(
  draft: RecordDraft | undefined,
  statusCode: number,
  render: (outcome: T) => unknown,
): RecordWith<T> | undefined {
  return draft && { draft, respond: (outcome: T): StoredResponse => ({ statusCode, body: render(outcome) }) };
}
