import type { Reservation } from './reservation';

/** Default bound on a hold's whole life, from createdAt to its (possibly extended) expiry. */
export const DEFAULT_MAX_TTL_SECONDS = 3600;

/** The expiry after extending by `seconds`: counted from the hold's current expiry, not from now. */
export function extendedExpiry(reservation: Pick<Reservation, 'expiresAt'>, seconds: number): Date {
  return new Date(reservation.expiresAt.getTime() + seconds * 1000);
}

/** Whether a hold expiring at `expiresAt` stays within `maxLifetimeSeconds` of its creation. */
export function withinLifetime(reservation: Pick<Reservation, 'createdAt'>, expiresAt: Date, maxLifetimeSeconds: number): boolean {
  return expiresAt.getTime() - reservation.createdAt.getTime() <= maxLifetimeSeconds * 1000;
}
