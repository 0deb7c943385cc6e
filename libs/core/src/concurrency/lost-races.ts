import { ConcurrentModificationError } from '../errors/domain-error';

/** Attempts in all (the first and its retries) before a lost race is reported to the client as 409. */
export const LOST_RACE_ATTEMPTS = 3;

/** What an attempt returns when its guarded write lost to a concurrent writer and a fresh attempt may succeed. */
export const LOST_RACE = Symbol('LOST_RACE');
export type LostRace = typeof LOST_RACE;

/** What kept changing, named for the ConcurrentModificationError. */
export interface RaceSubject {
  description: string;
  details: Record<string, unknown>;
}

export const stockOf = (sku: string): RaceSubject => ({ description: `Stock of '${sku}'`, details: { sku } });
export const reservationNamed = (id: string): RaceSubject => ({ description: `Reservation '${id}'`, details: { reservationId: id } });
export const idempotencyKeyNamed = (key: string): RaceSubject => ({
  description: `Idempotency key '${key}'`,
  details: { idempotencyKey: key },
});

/**
 * Runs `attempt` until it returns something other than LOST_RACE, at most `attempts` times; then throws
 * ConcurrentModificationError (409 CONCURRENT_MODIFICATION). Ports make one attempt and report `contended`;
 * this is the one place that decides how often to try again.
 */
export async function retryLostRaces<T>(
  subject: RaceSubject,
  attempt: () => Promise<T | LostRace>,
  attempts = LOST_RACE_ATTEMPTS,
): Promise<T> {
  for (let n = 1; n <= attempts; n++) {
    const outcome = await attempt();
    if (outcome !== LOST_RACE) return outcome;
  }
  throw new ConcurrentModificationError(subject.description, subject.details);
}
