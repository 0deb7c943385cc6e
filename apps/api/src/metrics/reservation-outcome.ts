export const RESERVATION_OUTCOMES = [
  'reserved',
  'replayed',
  'insufficient',
  'not_found',
  'per_customer_limit',
  'in_progress',
  'key_reused',
  'invalid',
  'rate_limited',
  'unauthorized',
  'error',
] as const;
export type ReservationOutcome = (typeof RESERVATION_OUTCOMES)[number];

const OUTCOME_BY_CONFLICT_CODE: Record<string, ReservationOutcome> = {
  INSUFFICIENT_STOCK: 'insufficient',
  PER_CUSTOMER_LIMIT_EXCEEDED: 'per_customer_limit',
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 'in_progress',
};

const OUTCOME_BY_STATUS: Record<number, ReservationOutcome> = {
  400: 'invalid',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not_found',
  413: 'invalid',
  415: 'invalid',
  422: 'key_reused',
  429: 'rate_limited',
};

/** What a reserve request came to, from its response: status, the envelope's error code, and the replay header. */
export function reservationOutcome(status: number, errorCode: string | undefined, replayed: boolean): ReservationOutcome {
  if (replayed) return 'replayed';
  if (status >= 200 && status < 300) return 'reserved';
  if (status === 409) return OUTCOME_BY_CONFLICT_CODE[errorCode ?? ''] ?? 'error';
  return OUTCOME_BY_STATUS[status] ?? 'error';
}

/** The `code` of an error envelope as Fastify is about to send it (a JSON string), if there is one. */
export function errorCodeOf(payload: unknown): string | undefined {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return undefined;
  try {
    const code = (JSON.parse(payload) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}
