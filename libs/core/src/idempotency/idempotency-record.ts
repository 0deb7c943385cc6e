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
  | { status: 'in_progress'; fingerprint: string };

/** How a record that already holds the key answers a claim: still in progress, or completed with its response. */
export function claimOfExistingRecord(record: { fingerprint: string; responseStatus: number | null; responseBody: unknown }): IdempotencyClaim {
  return record.responseStatus === null
    ? { status: 'in_progress', fingerprint: record.fingerprint }
    : { status: 'completed', fingerprint: record.fingerprint, response: { statusCode: record.responseStatus, body: record.responseBody } };
}

export class IdempotencySettings {
  constructor(
    /** How long completed records are kept (at least 24 hours). */
    readonly retentionSeconds: number,
    /** How long an attempt owns its key before a retry may take over (covers a crash mid-request). */
    readonly leaseSeconds: number,
  ) {}
}
