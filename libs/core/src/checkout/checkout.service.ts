import { Injectable } from '@nestjs/common';
import { LOST_RACE, LostRace, reservationNamed, retryLostRaces } from '../concurrency/lost-races';
import { HoldFinish, isDue, Reservation } from '../reservation/reservation';
import { ReservationExpiredError, ReservationNotFoundError, ReservationStateConflictError } from '../reservation/reservation.errors';
import { ReservationRepository } from '../reservation/reservation.repository';
import { ReservationSettings } from '../reservation/reservation-settings';
import { OutcomeRecord } from '../idempotency/idempotency-record';
import { RecordDeclinedSignal } from '../idempotency/idempotency.errors';
import { ChangeContext } from '../ledger/stock-movement';
import { Clock } from '../time/clock';

type Ending = 'confirm' | 'cancel';

const ENDED_STATUS = { confirm: 'CONFIRMED', cancel: 'CANCELLED' } as const;

/** Ends holds: confirm (sold) or cancel (stock back). Both are idempotent and race-safe against each other and the sweeper. */
@Injectable()
export class CheckoutService {
  constructor(
    private readonly reservations: ReservationRepository,
    private readonly clock: Clock,
    private readonly settings: ReservationSettings,
  ) {}

  /** CONFIRMED (again: same result). Throws 410-kind if the hold's time has passed (and expires it), 409-kind if cancelled. */
  confirm(id: string, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation> {
    return this.end(id, 'confirm', context, record);
  }

  /** CANCELLED with stock returned (again: same result). A hold whose time has passed ends EXPIRED instead. 409-kind if confirmed. */
  cancel(id: string, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation> {
    return this.end(id, 'cancel', context, record);
  }

  /**
   * With `record`, the request's idempotency record is written with the transition (one atomic step). When the
   * transition does not apply, nothing was recorded: RecordDeclinedSignal hands the request to the claim's way, which
   * answers from the hold as it stands.
   */
  private end(id: string, ending: Ending, context?: ChangeContext, record?: OutcomeRecord): Promise<Reservation> {
    return retryLostRaces(reservationNamed(id), async () => {
      const finish = this.settings.finishAt(this.clock.now());
      const ended =
        ending === 'confirm'
          ? await this.reservations.confirmIfActive(id, finish, context, record)
          : await this.reservations.cancelIfActive(id, finish, context, record);
      if (ended) return ended;
      if (record) throw new RecordDeclinedSignal(record.key);
      return this.settle(id, ending, finish);
    });
  }

  /** The guarded transition did not apply: answer from the hold as it stands, expiring it if its time has passed. */
  private async settle(id: string, ending: Ending, finish: HoldFinish): Promise<Reservation | LostRace> {
    const current = await this.reservations.findById(id);
    if (!current) throw new ReservationNotFoundError(id);
    if (current.status === ENDED_STATUS[ending]) return current;
    if (current.status === 'EXPIRED') {
      if (ending === 'cancel') return current;
      throw new ReservationExpiredError(id, current.expiresAt);
    }
    if (current.status !== 'RESERVED') throw new ReservationStateConflictError(id, current.status, ending);
    // Still RESERVED: its time has passed, or the transition lost to a concurrent writer and may be tried again.
    if (!isDue(current, finish.now)) return LOST_RACE;
    const expired = await this.reservations.expireIfDue(id, finish);
    if (ending === 'confirm') throw new ReservationExpiredError(id, current.expiresAt);
    return expired ?? LOST_RACE;
  }
}
