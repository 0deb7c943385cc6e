/** The response a completed request produced, replayed for retries with the same key. */
export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export interface IdempotencyClaimRequest {
  /** Which operation the key belongs to (keys are unique per scope). */
  scope: string;
  key: string;
  /** Hash of the request; the same key with another fingerprint is a different request. */
  fingerprint: string;
  /** Identifies this attempt, so only it can complete or release the claim. */
  token: string;
  now: Date;
  /** Until when this attempt owns the key; after that a retry may take over (see IdempotencyService). */
  leaseUntil: Date;
}

export type IdempotencyClaim =
  | { status: 'claimed' }
  | { status: 'completed'; fingerprint: string; response: StoredResponse }
  | { status: 'in_progress'; fingerprint: string }
  /** The key was held when the claim was refused, but its record was gone (released) when read: try again. */
  | { status: 'contended' };

/** Storing the response of the attempt that owns the key. */
export interface IdempotencyCompletion {
  scope: string;
  key: string;
  /** The owning attempt's token; any other attempt's completion is refused. */
  token: string;
  response: StoredResponse;
  now: Date;
  /** Until when the completed record is kept: a backend that deletes by TTL (MongoDB) stores it. */
  retainUntil: Date;
}

/**
 * How a refused claim is answered from the record read right after it: still in progress, completed with
 * its response, or `contended` when the record has gone in between. Shared by every adapter.
 */
export function claimOfExistingRecord(
  record: { fingerprint: string; responseStatus: number | null; responseBody: unknown } | null,
): IdempotencyClaim {
  if (!record) return { status: 'contended' };
  return record.responseStatus === null
    ? { status: 'in_progress', fingerprint: record.fingerprint }
    : { status: 'completed', fingerprint: record.fingerprint, response: { statusCode: record.responseStatus, body: record.responseBody } };
}

/** Everything of a request's idempotency record but its response: what a handler needs to write the record itself. */
export interface RecordDraft {
  scope: string;
  key: string;
  fingerprint: string;
  token: string;
  now: Date;
  retainUntil: Date;
}

/**
 * A request's idempotency record written already complete by the change it answers for, in that change's own atomic
 * step: the claim, the change and the stored response commit together or not at all (one round trip). Written only if
 * no record of the key exists; the change then moves nothing (`key_recorded`) and the request goes the claim's way.
 */
export interface ResponseRecord extends RecordDraft {
  response: StoredResponse;
}

/** A draft and how to render the response of the change's outcome `T`: for handlers that record their own response. */
export interface RecordWith<T> {
  draft: RecordDraft;
  respond(outcome: T): StoredResponse;
}

/**
 * A request's idempotency record written by a change whose response depends on what it finds (a hold's lines and
 * times): the record stores the outcome, a hold as `{ recordedHold: HoldSnapshot }` with `statusCode`, in the change's
 * own atomic step, and every answer (the first and each replay) is rendered from that outcome by the route.
 */
export interface OutcomeRecord extends RecordDraft {
  statusCode: number;
}

/** The field under which an OutcomeRecord's body keeps the hold (no response body of this API has it at the top). */
export const RECORDED_HOLD = 'recordedHold';
