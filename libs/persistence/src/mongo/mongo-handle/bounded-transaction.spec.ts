import type { mongo } from 'mongoose';
import { boundedTransaction, MAX_COMMIT_TIME_MS, TransactionDeadlineError } from './bounded-transaction';

/** A session whose withTransaction retries a callback that fails with TransientTransactionError, as the driver's does. */
function fakeSession() {
  const calls = { options: undefined as mongo.TransactionOptions | undefined, ended: false, attempts: 0 };
  const session = {
    async withTransaction(fn: (s: unknown) => Promise<unknown>, options: mongo.TransactionOptions) {
      calls.options = options;
      for (;;) {
        calls.attempts++;
        try {
          return await fn(session);
        } catch (error) {
          if ((error as { errorLabels?: string[] }).errorLabels?.includes('TransientTransactionError')) continue;
          throw error;
        }
      }
    },
    async endSession() {
      calls.ended = true;
    },
  };
  return { calls, start: async () => session as unknown as mongo.ClientSession };
}

const writeConflict = () => Object.assign(new Error('WriteConflict'), { code: 112, errorLabels: ['TransientTransactionError'] });

describe(boundedTransaction.name, () => {
  it("should return the work's result, bound the commit and end the session", async () => {
    const { calls, start } = fakeSession();
    expect(await boundedTransaction(start, async () => 'done')).toBe('done');
    expect(calls.options).toEqual({ maxCommitTimeMS: MAX_COMMIT_TIME_MS });
    expect(calls.ended).toBe(true);
  });

  it("should pass the caller's transaction options through", async () => {
    const { calls, start } = fakeSession();
    await boundedTransaction(start, async () => null, { readConcern: { level: 'snapshot' } });
    expect(calls.options).toEqual({ maxCommitTimeMS: MAX_COMMIT_TIME_MS, readConcern: { level: 'snapshot' } });
  });

  it('should let the driver retry write conflicts until one attempt succeeds', async () => {
    const { calls, start } = fakeSession();
    let failures = 3;
    const result = await boundedTransaction(start, async () => {
      if (failures-- > 0) throw writeConflict();
      return 'won';
    });
    expect(result).toBe('won');
    expect(calls.attempts).toBe(4);
  });

  it('should start no attempt after the deadline, and name the last conflict as the cause', async () => {
    const { calls, start } = fakeSession();
    let clock = 0;
    const conflict = writeConflict();
    const attempt = boundedTransaction(
      start,
      async () => {
        clock += 400;
        throw conflict;
      },
      {},
      1_000,
      () => clock,
    );
    await expect(attempt).rejects.toThrow(TransactionDeadlineError);
    await expect(attempt).rejects.toMatchObject({ cause: conflict });
    expect(calls.attempts).toBe(4); // at 0, 400 and 800 ms; the fourth, at 1200 ms, stops before any work
    expect(calls.ended).toBe(true);
  });

  it('should rethrow other errors at once, without retrying', async () => {
    const { calls, start } = fakeSession();
    const refusal = new Error('Stock does not hold the hold');
    await expect(boundedTransaction(start, async () => Promise.reject(refusal))).rejects.toBe(refusal);
    expect(calls.attempts).toBe(1);
  });
});
