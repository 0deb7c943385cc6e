/** Renews a running request's claim on its key until the returned stop function is called. */
export function keepClaimAlive(renew: () => Promise<boolean>, intervalMs: number, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => void renew().catch(onError), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const FIRST_RETRY_MS = 200;
const LONGEST_WAIT_MS = 5_000;

/**
 * Retries a release that failed (typically because the database blipped mid-request), backing off, until it
 * works or `withinMs` has passed: by then the lease has run out and a retry may take the key over anyway.
 * Without this, a retry would get 409 in progress for the rest of the lease although nothing runs.
 */
export function releaseInBackground(release: () => Promise<void>, withinMs: number, onGiveUp: (error: unknown) => void): void {
  const deadline = Date.now() + withinMs;
  const attempt = (waitMs: number) => {
    const timer = setTimeout(() => {
      release().catch((error: unknown) => {
        const next = Math.min(waitMs * 2, LONGEST_WAIT_MS);
        if (Date.now() + next > deadline) onGiveUp(error);
        else attempt(next);
      });
    }, waitMs);
    timer.unref();
  };
  attempt(FIRST_RETRY_MS);
}
