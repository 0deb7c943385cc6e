import { ConcurrentModificationError, IdempotencyService } from '@app/core';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, map, mergeMap, Observable, of, throwError } from 'rxjs';
import { clientErrorResponse } from '../common/error-response';
import { RequestValidationError } from '../common/request-validation.error';
import { extractIdempotencyKey, requestFingerprint } from './idempotency-key';
import { IDEMPOTENT } from './idempotency-metadata';
import type { IdempotentOptions, IdempotentRequest } from './idempotency-metadata';

const REPLAYED_HEADER = 'Idempotent-Replayed';

interface HttpRequest extends IdempotentRequest {
  id: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  raw: { rawHeaders: string[] };
  body?: unknown;
}

interface HttpReply {
  statusCode: number;
  status(code: number): unknown;
  header(name: string, value: string): unknown;
}

/**
 * Idempotency for handlers marked @Idempotent, stored in the database so every instance shares it.
 * First request: claim the key, run, store the response (success or client error). Same key and payload
 * again: the stored response is replayed with `Idempotent-Replayed: true`. Same key, other payload: 422.
 * Same key while the first is still running: 409. Invalid input (400) and server errors are not stored,
 * so the request can be retried with the same key.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly idempotency: IdempotencyService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const options = this.reflector.get<IdempotentOptions | undefined>(IDEMPOTENT, context.getHandler());
    if (!options) return next.handle();

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const reply = http.getResponse<HttpReply>();
    const key = extractIdempotencyKey({ headers: request.headers, rawHeaders: request.raw.rawHeaders, body: request.body });
    if (!key) {
      if (!options.required) return next.handle();
      throw new RequestValidationError([
        { field: 'Idempotency-Key', messages: ['an idempotency key is required: send the Idempotency-Key header (or idempotencyKey in the body)'] },
      ]);
    }
    request.idempotencyKey = key;

    const decision = await this.idempotency.begin(options.scope, key, requestFingerprint(request.method, options.scope, request.body));
    if (decision.kind === 'replay') {
      reply.header(REPLAYED_HEADER, 'true');
      reply.status(decision.response.statusCode);
      return of(withRequestId(decision.response.body, request.id));
    }

    const { token } = decision;
    return next.handle().pipe(
      // Only the handler's own errors settle the key (catchError comes before the completion step).
      catchError((error: unknown) => from(this.settle(options.scope, key, token, error)).pipe(mergeMap(() => throwError(() => error)))),
      // If storing the response fails (or the process dies first), the claim stays until its lease ends; a
      // retry then re-runs the handler, which finds the hold by its unique idempotency key instead of
      // creating another.
      mergeMap((body: unknown) => from(this.idempotency.complete(options.scope, key, token, { statusCode: reply.statusCode, body })).pipe(map(() => body))),
    );
  }

  /** Stores a client error as the key's outcome; releases the key for invalid input, transient conflicts and server errors. */
  private async settle(scope: string, key: string, token: string, error: unknown): Promise<void> {
    const transient = error instanceof RequestValidationError || error instanceof ConcurrentModificationError;
    const response = transient ? null : clientErrorResponse(error);
    try {
      if (response) await this.idempotency.complete(scope, key, token, { statusCode: response.status, body: response.body });
      else await this.idempotency.release(scope, key, token);
    } catch (storeError) {
      this.logger.error(`Could not settle idempotency key '${key}' (${scope})`, storeError instanceof Error ? storeError.stack : String(storeError));
    }
  }
}

/** A replayed error names the request that got it, like any other error (the stored body has no request id). */
function withRequestId(body: unknown, requestId: string): unknown {
  const isError = typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false;
  return isError ? { ...body, requestId } : body;
}
