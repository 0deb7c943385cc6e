import type { RecordDraft, Reservation } from '@app/core';

export const IDEMPOTENT = Symbol('IDEMPOTENT');

export interface IdempotentOptions {
  /** Keys are unique per scope (one scope per operation). */
  scope: string;
  /** Without a key: 400 when required, otherwise the request runs without idempotency. */
  required: boolean;
  /**
   * The handler writes the request's record itself, complete, in the same atomic step as its change (RecordWith): one
   * round trip on the success path instead of claim, change and completion. It reads the draft with @RecordDraftOf().
   */
  recordsItself?: boolean;
  /**
   * How the route answers with a hold: for records that keep the outcome (OutcomeRecord, `{ recordedHold }`), every
   * replay is rendered by this, as the first answer was, so both are the same body.
   */
  renderRecorded?: (hold: Reservation) => unknown;
}

export interface IdempotentRequest {
  idempotencyKey?: string;
  /** Set while a `recordsItself` handler runs its one-round-trip attempt; absent when the claim's way runs it. */
  recordDraft?: RecordDraft;
}
