import {
  ConcurrentModificationError,
  holdOfSnapshot,
  HoldSnapshot,
  RECORDED_HOLD,
  IdempotencyDecision,
  IdempotencyKeyReusedError,
  IdempotencyRequestInProgressError,
  IdempotencyService,
  IdempotencySettings,
  RecordDeclinedSignal,
} from '@app/core';
import type { Reservation } from '@app/core';
import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { from, lastValueFrom, Observable } from 'rxjs';
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

/** One request under its key: where its record lives and how it is answered. */
interface Keyed {
  /** The operation (the route's scope option), for metrics. */
  operation: string;
  scope: string;
  key: string;
  fingerprint: string;
  request: HttpRequest;
  reply: HttpReply;
  next: CallHandler;
  renderRecorded?: (hold: Reservation) => unknown;
}

/**
 * Idempotency for handlers marked @Idempotent, stored in the database so every instance shares it.
 * First request: claim the key, run, store the response (success or client error). Same key and payload
 * again: the stored response is replayed with `Idempotent-Replayed: true`. Same key, other payload: 422.
 * Same key while the first is still running: 409. Invalid input (400) and server errors are not stored,
 * so the request can be retried with the same key.
 * A handler marked `recordsItself` first runs with a draft of the record and writes it complete with its change (one
 * round trip); when the key turns out to be recorded already, the request goes the claim's way from the start.
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

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
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
    const fingerprint = requestFingerprint(request.method, options.scope, request.body, request.params);
    const keyed: Keyed = {
      operation: options.scope,
      scope,
      key,
      fingerprint,
      request,
      reply,
      next,
      renderRecorded: options.renderRecorded,
    };
    return from(options.recordsItself ? this.recordedByHandler(keyed) : this.claimed(keyed));
  }

  /**
   * The handler writes the record with its change. A refusal changed nothing, so it is stored afterwards by claiming the
   * key, as the claim's way would have (unless another request with the key came first: its outcome is answered).
   */
  private async recordedByHandler(keyed: Keyed): Promise<unknown> {
    const { scope, key, fingerprint, request, next } = keyed;
    request.recordDraft = this.idempotency.draft(scope, key, fingerprint);
    try {
      return await lastValueFrom(next.handle());
    } catch (error) {
      request.recordDraft = undefined;
      if (error instanceof RecordDeclinedSignal) return this.claimed(keyed);
      if (isTransient(error) || !clientErrorResponse(error)) throw error;
      const decision = await this.begin(keyed);
      if (decision.kind === 'replay') return this.replay(decision, keyed);
      await this.settle(keyed, decision.token, error);
      throw error;
    }
  }

  /** Claim the key, run the handler, store its response: three round trips around the handler's own. */
  private async claimed(keyed: Keyed): Promise<unknown> {
    const { scope, key, reply, next } = keyed;
    const decision = await this.begin(keyed);
    if (decision.kind === 'replay') return this.replay(decision, keyed);

    const { token } = decision;
    const stopRenewing = keepClaimAlive(
      () => this.idempotency.renew(scope, key, token),
      this.settings.renewIntervalMs,
      (error) => this.logger.warn(`Could not renew the claim on idempotency key '${key}' (${scope}): ${String(error)}`),
    );
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle());
    } catch (error) {
      // Only the handler's own errors settle the key.
      stopRenewing();
      await this.settle(keyed, token, error);
      throw error;
    }
    stopRenewing();
    // If storing the response fails (or the process dies first), the claim stays until its lease ends; a retry then
    // re-runs the handler, which finds the hold by its unique idempotency key instead of creating another.
    await this.idempotency.complete(scope, key, token, { statusCode: reply.statusCode, body });
    return body;
  }

  private async begin({ operation, scope, key, fingerprint }: Keyed): Promise<IdempotencyDecision> {
    try {
      return await this.idempotency.begin(scope, key, fingerprint);
    } catch (error) {
      this.countConflict(operation, error);
      throw error;
    }
  }

  private replay(
    decision: Extract<IdempotencyDecision, { kind: 'replay' }>,
    { operation, request, reply, renderRecorded }: Keyed,
  ): unknown {
    this.metrics.idempotentReplay(operation);
    reply.header(REPLAYED_HEADER, 'true');
    reply.status(decision.response.statusCode);
    const recorded = recordedHoldOf(decision.response.body);
    if (recorded && renderRecorded) return renderRecorded(holdOfSnapshot(recorded));
    return withRequestId(decision.response.body, request.id);
  }

  /** A handler can also find the key reused: its hold outlived the idempotency record (see ReservationService.reserve). */
  private countConflict(operation: string, error: unknown): void {
    if (error instanceof IdempotencyRequestInProgressError) this.metrics.idempotencyConflict(operation, 'in_progress');
    else if (error instanceof IdempotencyKeyReusedError) this.metrics.idempotencyConflict(operation, 'key_reused');
  }

  /** Stores a client error as the key's outcome; releases the key for invalid input, transient conflicts and server errors. */
  private async settle({ operation, scope, key }: Keyed, token: string, error: unknown): Promise<void> {
    this.countConflict(operation, error);
    const response = isTransient(error) ? null : clientErrorResponse(error);
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

/** Invalid input and lost races are not a request's outcome: the key is released, and a retry runs again. */
function isTransient(error: unknown): boolean {
  return error instanceof RequestValidationError || error instanceof ConcurrentModificationError;
}

/** The hold a record written by the change keeps (OutcomeRecord), if that is what `body` is. */
function recordedHoldOf(body: unknown): HoldSnapshot | null {
  if (typeof body !== 'object' || body === null || !(RECORDED_HOLD in body)) return null;
  return (body as Record<typeof RECORDED_HOLD, HoldSnapshot>)[RECORDED_HOLD];
}

/** A replayed error names the request that got it, like any other error (the stored body has no request id). */
function withRequestId(body: unknown, requestId: string): unknown {
  const isError = typeof body === 'object' && body !== null && (body as { success?: unknown }).success === false;
  return isError ? { ...body, requestId } : body;
}
