import {
  ConcurrentModificationError,
  IdempotencyKeyReusedError,
  IdempotencyRequestInProgressError,
  IdempotencyService,
  IdempotencySettings,
} from '@app/core';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, finalize, from, map, mergeMap, Observable, of, throwError } from 'rxjs';
import { clientIdOf } from '../auth/client-identity';
import { clientErrorResponse } from '../common/error-response';
import { AppMetrics } from '../metrics/app-metrics';
import { keepClaimAlive, releaseInBackground } from './claim-upkeep';
import { RequestValidationError } from '../common/request-validation.error';
import { extractIdempotencyKey, requestFingerprint } from './idempotency-key';
import { IDEMPOTENT } from './idempotency-metadata';
import type { IdempotentOptions, IdempotentRequest } from './idempotency-metadata';

const REPLAYED_HEADER = 'Idempotent-Replayed';

interface HttpRequest extends IdempotentRequest {
  id: string;
  apiKeyId?: string;
  method: string;
  headers: Record<string, string | string[] | undefined>;
  raw: { rawHeaders: string[] };
  body?: unknown;
  /** The route's path parameters, as sent. */
  params?: Record<string, string>;
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
    private readonly settings: IdempotencySettings,
    private readonly metrics: AppMetrics,
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
        {
          field: 'Idempotency-Key',
          messages: ['an idempotency key is required: send the Idempotency-Key header (or idempotencyKey in the body)'],
        },
      ]);
    }
    request.idempotencyKey = key;

    // Keys are kept per client (the API key, or anonymous): a client never meets, nor learns of, another's keys.
    // At most 7 + 1 + 36 characters (operation, ':', key id): the column holds 64.
    const scope = `${options.scope}:${clientIdOf(request)}`;
    const decision = await this.idempotency
      .begin(scope, key, requestFingerprint(request.method, options.scope, request.body, request.params))
      .catch((error: unknown) => {
        this.countConflict(options.scope, error);
        throw error;
      });
    if (decision.kind === 'replay') {
      this.metrics.idempotentReplay(options.scope);
      reply.header(REPLAYED_HEADER, 'true');
      reply.status(decision.response.statusCode);
      return of(withRequestId(decision.response.body, request.id));
    }

    const { token } = decision;
    const stopRenewing = keepClaimAlive(
      () => this.idempotency.renew(scope, key, token),
      this.settings.renewIntervalMs,
      (error) => this.logger.warn(`Could not renew the claim on idempotency key '${key}' (${scope}): ${String(error)}`),
    );
    return next.handle().pipe(
      finalize(stopRenewing),
      // Only the handler's own errors settle the key (catchError comes before the completion step).
      catchError((error: unknown) => from(this.settle(scope, key, token, error)).pipe(mergeMap(() => throwError(() => error)))),
      // If storing the response fails (or the process dies first), the claim stays until its lease ends; a
      // retry then re-runs the handler, which finds the hold by its unique idempotency key instead of
      // creating another.
      mergeMap((body: unknown) =>
        from(this.idempotency.complete(scope, key, token, { statusCode: reply.statusCode, body })).pipe(map(() => body)),
      ),
    );
  }

  /** A handler can also find the key reused: its hold outlived the idempotency record (see ReservationService.reserve). */
  private countConflict(scope: string, error: unknown): void {
    if (error instanceof IdempotencyRequestInProgressError) this.metrics.idempotencyConflict(scope, 'in_progress');
    else if (error instanceof IdempotencyKeyReusedError) this.metrics.idempotencyConflict(scope, 'key_reused');
  }

  /** Stores a client error as the key's outcome; releases the key for invalid input, transient conflicts and server errors. */
  private async settle(scope: string, key: string, token: string, error: unknown): Promise<void> {
    this.countConflict(scope, error);
    const transient = error instanceof RequestValidationError || error instanceof ConcurrentModificationError;
    const response = transient ? null : clientErrorResponse(error);
    try {
      if (response) await this.idempotency.complete(scope, key, token, { statusCode: response.status, body: response.body });
      else await this.idempotency.release(scope, key, token);
    } catch (storeError) {
      // Released, not stored: whatever failed the request may have failed this too; the key must not stay
      // blocked for the whole lease, so the release is retried until the database answers again.
      this.logger.warn(`Could not settle idempotency key '${key}' (${scope}); releasing it in the background: ${String(storeError)}`);
      releaseInBackground(
        () => this.idempotency.release(scope, key, token),
        this.settings.leaseSeconds * 1000,
        (error) => this.logger.error(`Gave up releasing idempotency key '${key}' (${scope}); its lease ends it`, String(error)),
      );
    }
  }
}

/** A replayed error names the request that got it, like any other error (the stored body has no request id). */
function withRequestId(body: unknown, requestId: string): unknown {
  const isError = typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false;
  return isError ? { ...body, requestId } : body;
}
