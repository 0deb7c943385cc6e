import { HoldFinish, Reservation, ReservationRepository } from '@app/core';
import { AppMetrics, HoldEnding } from './app-metrics';

type SingleEnding = 'confirmIfActive' | 'cancelIfActive' | 'expireIfDue';

const ENDINGS: Record<SingleEnding, HoldEnding> = { confirmIfActive: 'confirmed', cancelIfActive: 'cancelled', expireIfDue: 'expired' };

/**
 * Counts every hold that leaves RESERVED, at the one place all of them pass: the repository's guarded transitions
 * (checkout, the sweeper, the reserve path's expiry of one SKU, and any later caller). The bound instance's methods
 * are wrapped in place, because every service already holds that instance; a transition that did not apply (null,
 * 0) counts nothing, so races and retries are never counted twice. The adapters' expireDue never calls expireIfDue.
 */
export function countHoldEndings(repository: ReservationRepository, metrics: AppMetrics): void {
  for (const [method, to] of Object.entries(ENDINGS) as [SingleEnding, HoldEnding][]) {
    const original = repository[method].bind(repository);
    repository[method] = async (id: string, finish: HoldFinish): Promise<Reservation | null> => {
      const ended = await original(id, finish);
      if (ended) metrics.holdsEnded(to);
      return ended;
    };
  }
  const expireDue = repository.expireDue.bind(repository);
  repository.expireDue = async (...args: Parameters<ReservationRepository['expireDue']>): Promise<number> => {
    const expired = await expireDue(...args);
    metrics.holdsEnded('expired', expired);
    return expired;
  };
}
