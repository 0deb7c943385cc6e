import { Registry } from 'prom-client';
import { RESERVATION_OUTCOMES, ReservationOutcome } from './reservation-outcome';

export interface ActivitySnapshot {
  /** When it was read (ISO). */
  at: string;
  /** Reserve requests answered since the process started, by outcome (every outcome present, 0 when none). */
  reservationsByOutcome: Record<ReservationOutcome, number>;
  /** Holds that left RESERVED since the process started, by the state they entered. */
  holdsEnded: { confirmed: number; cancelled: number; expired: number };
  /** inventory_expiry_lag_seconds as a scrape would read it now; null when the database did not answer. */
  expiryLagSeconds: number | null;
}

/** Sum of a metric's series by one label; missing metric or series: 0. */
async function byLabel(registry: Registry, name: string, label: string): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const metric = registry.getSingleMetric(name);
  if (!metric) return totals;
  for (const { labels, value } of (await metric.get()).values) {
    const key = String(labels[label] ?? '');
    totals.set(key, (totals.get(key) ?? 0) + value);
  }
  return totals;
}

/**
 * The counters and the expiry lag the console's activity charts need, read from this process's registry (the same
 * series GET /metrics serves). Counts are cumulative per process: a reader turns them into rates by difference.
 */
export async function readActivity(registry: Registry, now: Date): Promise<ActivitySnapshot> {
  const outcomes = await byLabel(registry, 'inventory_reservations_total', 'outcome');
  const endings = await byLabel(registry, 'inventory_holds_transitions_total', 'to');
  const lag = registry.getSingleMetric('inventory_expiry_lag_seconds');
  const lagValue = lag ? (await lag.get()).values[0]?.value : undefined;
  return {
    at: now.toISOString(),
    reservationsByOutcome: Object.fromEntries(RESERVATION_OUTCOMES.map((o) => [o, outcomes.get(o) ?? 0])) as Record<
      ReservationOutcome,
      number
    >,
    holdsEnded: {
      confirmed: endings.get('confirmed') ?? 0,
      cancelled: endings.get('cancelled') ?? 0,
      expired: endings.get('expired') ?? 0,
    },
    expiryLagSeconds: lagValue === undefined || Number.isNaN(lagValue) ? null : lagValue,
  };
}
