import { WebhookResponse, WebhookSender, WebhookSettings, webhookUrlProblem } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WEBHOOK_TIMEOUT_MS } from '../domain-settings.module';
import { guardedLookup, Lookup } from './guarded-lookup';

/** A receiver's answer body is read and thrown away; past this much the connection is cut (its status stands). */
export const MAX_RESPONSE_BYTES = 64 * 1024;
const ERROR_MAX_LENGTH = 300;

/**
 * POSTs a signed webhook with node's http/https: within WEBHOOK_TIMEOUT_MS (connect, send and answer), no redirect
 * followed (a 3xx is an answer like any other non-2xx), no connection kept, and only to an address the URL policy allows
 * once resolved. The URL is checked again when sending, so an endpoint made under a looser configuration is refused now.
 */
@Injectable()
export class HttpWebhookSender extends WebhookSender {
  /** Resolves host names for the connection, refusing addresses the URL policy forbids. */
  protected readonly lookup: Lookup;

  constructor(
    private readonly settings: WebhookSettings,
    @Inject(WEBHOOK_TIMEOUT_MS) private readonly timeoutMs: number,
  ) {
    super();
    this.lookup = guardedLookup(settings.urlPolicy);
  }

  async send(url: string, headers: Record<string, string>, body: string): Promise<WebhookResponse> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const problem = webhookUrlProblem(url, this.settings.urlPolicy);
    if (problem) return { statusCode: null, error: `url refused: ${problem}`, durationMs: 0 };
    try {
      const statusCode = await this.post(new URL(url), headers, body);
      return { statusCode, error: null, durationMs: elapsed() };
    } catch (error) {
      return { statusCode: null, error: this.describe(error), durationMs: elapsed() };
    }
  }

  private post(url: URL, headers: Record<string, string>, body: string): Promise<number> {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<number>((resolve, reject) => {
      const request = send(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'inventory-reservation-webhooks/1' },
          lookup: this.lookup,
          agent: false,
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (response) => {
          const answered = () => resolve(response.statusCode ?? 0);
          let received = 0;
          response.on('data', (chunk: Buffer) => {
            received += chunk.length;
            if (received > MAX_RESPONSE_BYTES) {
              response.destroy();
              answered();
            }
          });
          response.on('end', answered);
          // Cut off while its body was still coming: the status line had arrived, and it is the answer.
          response.on('close', answered);
          response.on('error', answered);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  private describe(error: unknown): string {
    const { name, code, message } = error as { name?: string; code?: string; message?: string };
    const text =
      name === 'AbortError' || name === 'TimeoutError'
        ? `timed out after ${this.timeoutMs} ms`
        : `${code ?? name ?? 'Error'}: ${message ?? String(error)}`;
    return text.slice(0, ERROR_MAX_LENGTH);
  }
}
