import { Injectable } from '@nestjs/common';
import { ConcurrentModificationError } from '../errors/domain-error';
import { isDue, Reservation } from '../reservation/reservation';
import { ReservationExpiredError, ReservationNotFoundError, ReservationStateConflictError } from '../reservation/reservation.errors';
import { ReservationRepository } from '../reservation/reservation.repository';
import { Clock } from '../time/clock';

/** The guarded transitions can lose a race and leave a state that allows another try; bound the retries. */
const ATTEMPTS = 3;

/** Ends holds: confirm (sold) or cancel (stock back). Both are idempotent and race-safe against each other and the sweeper. */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly clock: Clock,
  ) {}

  /** CONFIRMED (again: same result). Throws 410-kind if the hold's time has passed (and expires it), 409-kind if cancelled. */
  async confirm(id: string): Promise<Reservation> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const now = this.clock.now();
      const confirmed = await this.reservations.confirmIfActive(id, now);
      if (confirmed) return confirmed;

      const current = await this.current(id);
      if (current.status === 'CONFIRMED') return current;
      if (current.status === 'CANCELLED') throw new ReservationStateConflictError(id, current.status, 'confirm');
      if (current.status === 'EXPIRED') throw new ReservationExpiredError(id, current.expiresAt);
      if (isDue(current, now)) {
        await this.reservations.expireIfDue(id, now);
        throw new ReservationExpiredError(id, current.expiresAt);
      }
    }
    throw new ConcurrentModificationError(`Reservation '${id}' kept changing concurrently; retry the request`, { reservationId: id });
  }

  /** CANCELLED with stock returned (again: same result). A hold whose time has passed ends EXPIRED instead. 409-kind if confirmed. */
  async cancel(id: string): Promise<Reservation> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const now = this.clock.now();
      const cancelled = await this.reservations.cancelIfActive(id, now);
      if (cancelled) return cancelled;

      const current = await this.current(id);
      if (current.status === 'CANCELLED' || current.status === 'EXPIRED') return current;
      if (current.status === 'CONFIRMED') throw new ReservationStateConflictError(id, current.status, 'cancel');
      if (isDue(current, now)) {
        const expired = await this.reservations.expireIfDue(id, now);
        if (expired) return expired;
      }
    }
    throw new ConcurrentModificationError(`Reservation '${id}' kept changing concurrently; retry the request`, { reservationId: id });
  }

  private async current(id: string): Promise<Reservation> {
    const reservation = await this.reservations.findById(id);
    if (!reservation) throw new ReservationNotFoundError(id);
    return reservation;
  }
}
