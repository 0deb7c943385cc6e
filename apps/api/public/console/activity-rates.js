// Per-minute rates from cumulative counters sampled over time.

/** The outcomes drawn as their own line; the rest are summed as "other". */
export const CHARTED_OUTCOMES = ['reserved', 'insufficient', 'not_found', 'per_customer_limit', 'replayed', 'rate_limited'];

/**
 * samples: [{ at (ms), reservationsByOutcome }...] oldest first. Returns one point per pair of neighbours:
 * { at (ms), perMinute: { outcome: rate, other } }, or null rates when a counter went down (another instance or a restart).
 */
export function ratesPerMinute(samples) {
  const points = [];
  for (let i = 1; i < samples.length; i++) {
    const before = samples[i - 1];
    const after = samples[i];
    const minutes = (after.at - before.at) / 60_000;
    const moved = (outcome) => (after.reservationsByOutcome[outcome] ?? 0) - (before.reservationsByOutcome[outcome] ?? 0);
    const all = Object.keys(after.reservationsByOutcome);
    const reset = all.some((outcome) => moved(outcome) < 0) || minutes <= 0;
    const perMinute = {};
    for (const outcome of CHARTED_OUTCOMES) perMinute[outcome] = reset ? null : moved(outcome) / minutes;
    const other = all.filter((outcome) => !CHARTED_OUTCOMES.includes(outcome)).reduce((sum, outcome) => sum + moved(outcome), 0);
    perMinute.other = reset ? null : other / minutes;
    points.push({ at: after.at, perMinute });
  }
  return points;
}
