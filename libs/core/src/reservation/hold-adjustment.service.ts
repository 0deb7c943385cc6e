import { Injectable } from '@nestjs/common';
import { LOST_RACE, reservationNamed, retryLostRaces } from '../concurrency/lost-races';
import { ChangeContext } from '../ledger/stock-movement';
import { Clock } from '../time/clock';
import { extendedExpiry, withinLifetime } from './hold-lifetime';
import { HoldLine, linesAfterRelease } from './hold-lines';
import { HoldFinish, isDue, Reservation } from './reservation';
import {
  HoldAction,
  HoldLifetimeExceededError,
  HoldSecondsError,
  ReleaseExceedsHoldError,
  ReservationExpiredError,
  ReservationNotFoundError,
  ReservationStateConflictError,
} from './reservation.errors';
import { ReservationRepository } from './reservation.repository';
import { canonicalLines, isWholeIn } from './hold-line-rules';
import { ReservationSettings } from './reservation-settings';

/** Changes a RESERVED hold without ending it: more time (extend), fewer units (release). Race-safe like checkout. */
@Injectable()
export class HoldAdjustmentService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly clock: Clock,
    private readonly settings: ReservationSettings,
  ) {}

  /**
   * Moves the expiry `seconds` later than it is now. 409 if the hold would then live longer than the configured
   * largest TTL from its creation, or is no longer RESERVED; 410 if its time has passed (and expires it).
   */
  extend(id: string, seconds: number, context?: ChangeContext): Promise<Reservation> {
    const { maxTtlSeconds } = this.settings.limits;
    if (!isWholeIn(seconds, 1, maxTtlSeconds)) throw new HoldSecondsError('seconds', seconds, maxTtlSeconds);
    return retryLostRaces(reservationNamed(id), async () => {
      const finish = this.settings.finishAt(this.clock.now());
      const extended = await this.reservations.extendIfActive(id, seconds, maxTtlSeconds, finish.now, context);
      if (extended) return extended;
      const current = await this.activeOrThrow(id, 'extend', finish);
      const requested = extendedExpiry(current, seconds);
      if (!withinLifetime(current, requested, maxTtlSeconds)) {
        throw new HoldLifetimeExceededError(id, maxTtlSeconds, current.createdAt, requested);
      }
      return LOST_RACE;
    });
  }

  /**
   * Returns the given units to available and shrinks the hold's lines; releasing every unit left cancels the hold.
   * 409 if a line asks for more than the hold holds of its SKU, or the hold is no longer RESERVED; 410 if its time has passed.
   */
  release(id: string, items: HoldLine[], context?: ChangeContext): Promise<Reservation> {
    const lines = canonicalLines(items, this.settings.limits.maxQuantity);
    return retryLostRaces(reservationNamed(id), async () => {
      const finish = this.settings.finishAt(this.clock.now());
      const result = await this.reservations.releaseIfActive(id, lines, finish, context);
      if (result.status === 'released') return result.reservation;
      if (result.status === 'exceeds') throw new ReleaseExceedsHoldError(id, result.sku, result.held, result.requested);
      const current = await this.activeOrThrow(id, 'release', finish);
      const after = linesAfterRelease(current.items, lines);
      if (after.status === 'exceeds') throw new ReleaseExceedsHoldError(id, after.sku, after.held, after.requested);
      return LOST_RACE;
    });
  }

  /**
   * The guarded change did not apply: the hold as it stands if it is still active (the caller decides why), else the
   * error that says why it cannot change; a hold whose time has passed is expired on the way (410).
   */
  private async activeOrThrow(id: string, action: HoldAction, finish: HoldFinish): Promise<Reservation> {
    const current = await this.reservations.findById(id);
    if (!current) throw new ReservationNotFoundError(id);
    if (current.status === 'EXPIRED') throw new ReservationExpiredError(id, current.expiresAt);
    if (current.status !== 'RESERVED') throw new ReservationStateConflictError(id, current.status, action);
    if (isDue(current, finish.now)) {
      await this.reservations.expireIfDue(id, finish);
      throw new ReservationExpiredError(id, current.expiresAt);
    }
    return current;
  }
}
