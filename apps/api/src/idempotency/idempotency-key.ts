import { IDEMPOTENCY_KEY_MAX_LENGTH } from '@app/core';
import { createHash } from 'node:crypto';
import { RequestValidationError } from '../common/request-validation.error';

/** Printable ASCII, no leading or trailing space. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/;
export const IDEMPOTENCY_KEY_RULE = `1-${IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, no leading or trailing space`;

interface KeyedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** Header names and values as received (Node joins repeated headers into one value in `headers`). */
  rawHeaders?: string[];
  body?: unknown;
}

const KEY_HEADERS = ['Idempotency-Key', 'X-Idempotency-Key'];

/** The key from `Idempotency-Key`, else `X-Idempotency-Key`, else the body's `idempotencyKey`; validated. */
export function extractIdempotencyKey(request: KeyedRequest): string | undefined {
  for (const header of KEY_HEADERS) {
    if (countHeader(request.rawHeaders, header) > 1) {
      throw new RequestValidationError([{ field: header, messages: [`${header} must be sent once; this request has it more than once`] }]);
    }
  }
  const sources: [string, unknown][] = [
    ['Idempotency-Key', request.headers['idempotency-key']],
    ['X-Idempotency-Key', request.headers['x-idempotency-key']],
    ['idempotencyKey', bodyField(request.body, 'idempotencyKey')],
  ];
  for (const [field, value] of sources) {
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.length > IDEMPOTENCY_KEY_MAX_LENGTH || !IDEMPOTENCY_KEY_PATTERN.test(value)) {
      throw new RequestValidationError([{ field, messages: [`${field} must be ${IDEMPOTENCY_KEY_RULE}`] }]);
    }
    return value;
  }
  return undefined;
}

/**
 * Identifies "the same request": method, operation, body (minus the key itself) and the route's path parameters
 * (e.g. which hold `/reservations/:id/extend` acts on), with object keys sorted. A route without path parameters
 * keeps the fingerprint it had before they counted.
 */
export function requestFingerprint(method: string, scope: string, body: unknown, params: Record<string, string> = {}): string {
  const payload = isPlainObject(body) ? Object.fromEntries(Object.entries(body).filter(([name]) => name !== 'idempotencyKey')) : body;
  const parts: unknown[] = [method.toUpperCase(), scope, payload ?? null];
  if (Object.keys(params).length > 0) parts.push(params);
  return createHash('sha256').update(canonicalJson(parts)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((name) => `${JSON.stringify(name)}:${canonicalJson(value[name])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function countHeader(rawHeaders: string[] | undefined, name: string): number {
  let count = 0;
  for (let i = 0; i < (rawHeaders?.length ?? 0); i += 2) if (rawHeaders![i].toLowerCase() === name.toLowerCase()) count++;
  return count;
}

function bodyField(body: unknown, name: string): unknown {
  return isPlainObject(body) ? body[name] : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
