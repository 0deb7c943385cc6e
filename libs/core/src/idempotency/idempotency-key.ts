/** Longest idempotency key accepted and stored (on the hold and in the idempotency records). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
