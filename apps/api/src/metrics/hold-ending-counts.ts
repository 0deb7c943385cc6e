import { ChangeContext, HoldFinish, HoldLine, ReleaseResult, Reservation, ReservationRepository } from '@app/core';
import { AsyncLocalStorage } from 'node:async_hooks';
import { AppMetrics, HoldEnding } from './app-metrics';

type SingleEnding = 'confirmIfActive' | 'cancelIfActive' | 'expireIfDue';

const ENDINGS: Record<SingleEnding, HoldEnding> = { confirmIfActive: 'confirmed', cancelIfActive: 'cancelled', expireIfDue: 'expired' };

/**
 * Counts every hold that leaves RESERVED, at the one place all of them pass: the repository's guarded transitions
 * (checkout, the sweeper, the reserve path's expiry of due holds, a release of every unit left, and any later caller).
 * The bound instance's methods are wrapped in place, because every service already holds that instance; a transition
 * that did not apply (null, 0, not released) counts nothing, so races and retries are never counted twice. The
 * adapters' expireDue never calls expireIfDue; a releaseIfActive that ends the hold by calling cancelIfActive (as
 * the in-memory fake does) is counted once, by whichever of the two sees it first.
 */
export function countHoldEndings(repository: ReservationRepository, metrics: AppMetrics): void {
  const releasing = new AsyncLocalStorage<{ counted: boolean }>();
  for (const [method, to] of Object.entries(ENDINGS) as [SingleEnding, HoldEnding][]) {
    const original = repository[method].bind(repository);
    // Every argument (the change context for the ledger, a request's idempotency record) is passed on untouched.
    repository[method] = async (...args: Parameters<ReservationRepository['confirmIfActive']>): Promise<Reservation | null> => {
      const ended = await original(...args);
      if (ended) {
        metrics.holdsEnded(to);
        const release = releasing.getStore();
        if (release) release.counted = true;
      }
      return ended;
    };
  }
  const expireDue = repository.expireDue.bind(repository);
  repository.expireDue = async (...args: Parameters<ReservationRepository['expireDue']>): Promise<number> => {
    const expired = await expireDue(...args);
    metrics.holdsEnded('expired', expired);
    return expired;
  };
  const releaseIfActive = repository.releaseIfActive.bind(repository);
  repository.releaseIfActive = async (
    id: string,
    lines: HoldLine[],
    finish: HoldFinish,
    context?: ChangeContext,
  ): Promise<ReleaseResult> => {
    const release = { counted: false };
    const result = await releasing.run(release, () => releaseIfActive(id, lines, finish, context));
    if (result.status === 'released' && result.reservation.status === 'CANCELLED' && !release.counted) metrics.holdsEnded('cancelled');
    return result;
  };
}
