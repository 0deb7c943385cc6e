/** Seconds before each retry (after try 1, 2, ...): about a day in all, then the delivery is given up. */
export const RETRY_DELAYS_SECONDS = [5, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 28_800] as const;

/**
 * When the try after `attempt` is due, or null when `attempt` was the last. Jitter: up to +-20 % of the delay
 * (`random` in [0, 1)), so receivers that come back are not hit by every sender at once.
 */
export function nextAttemptAt(
  attempt: number,
  now: Date,
  random: number = Math.random(),
  delaysSeconds: readonly number[] = RETRY_DELAYS_SECONDS,
): Date | null {
  const delay = delaysSeconds[attempt - 1];
  if (delay === undefined) return null;
  return new Date(now.getTime() + delay * 1000 * (0.8 + 0.4 * random));
}
