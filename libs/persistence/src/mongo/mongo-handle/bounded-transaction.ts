import type { mongo } from 'mongoose';

/**
 * How long one transaction may keep trying, attempts and backoff included. The driver's own bound is 120 s
 * (`MAX_TIMEOUT` in ClientSession.withTransaction, mongodb/lib/sessions.js), and `timeoutMS`, which would
 * shorten it, has no effect in driver 7.8 ("timeoutMS is a no-op, so a CSOT timeout context is never created").
 */
export const TRANSACTION_DEADLINE_MS = 4_000;
/** Server-side bound on one commit (commitTransaction's maxTimeMS): a majority that cannot acknowledge ends it. */
export const MAX_COMMIT_TIME_MS = 3_000;

/** The transaction kept hitting transient errors (write conflicts) until its deadline; `cause` is the last one seen. */
export class TransactionDeadlineError extends Error {
  override name = 'TransactionDeadlineError';

  constructor(deadlineMs: number, cause: unknown) {
    super(`Transaction gave up after ${deadlineMs} ms of transient errors`, { cause });
  }
}

/**
 * Runs `work` in one transaction with the driver's withTransaction (retries on TransientTransactionError,
 * commit retries on UnknownTransactionCommitResult), but starts no attempt after `deadlineMs`: a later attempt
 * throws TransactionDeadlineError from the callback, and withTransaction aborts and rethrows an error that is
 * not a MongoError at once (step 7 of its loop). `work` may abort the transaction itself and return; withTransaction
 * then returns that value without committing (step 8).
 */
export async function boundedTransaction<T>(
  startSession: () => Promise<mongo.ClientSession>,
  work: (session: mongo.ClientSession) => Promise<T>,
  options: mongo.TransactionOptions = {},
  deadlineMs = TRANSACTION_DEADLINE_MS,
  now: () => number = performance.now.bind(performance),
): Promise<T> {
  const deadline = now() + deadlineMs;
  let attempts = 0;
  let lastError: unknown;
  const session = await startSession();
  try {
    return await session.withTransaction(
      async (s) => {
        if (attempts++ > 0 && now() >= deadline) throw new TransactionDeadlineError(deadlineMs, lastError);
        try {
          return await work(s);
        } catch (error) {
          lastError = error;
          throw error;
        }
      },
      { maxCommitTimeMS: MAX_COMMIT_TIME_MS, ...options },
    );
  } finally {
    await session.endSession().catch(() => undefined);
  }
}
