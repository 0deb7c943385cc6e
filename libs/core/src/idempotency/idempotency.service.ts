import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { IdempotencyKeyReusedError } from '../reservation/reservation.errors';
import { ReservationSettings } from '../reservation/reservation-settings';
import { Clock } from '../time/clock';
import { IdempotencySettings, StoredResponse } from './idempotency-record';
import { IdempotencyRequestInProgressError } from './idempotency.errors';
import { IdempotencyRepository } from './idempotency.repository';

export type IdempotencyDecision =
  | { kind: 'proceed'; token: string }
  | { kind: 'replay'; response: StoredResponse };

/**
 * Stripe/IETF-style idempotency: the first request with a key claims it, runs, and stores its response;
 * a retry with the same payload gets that response replayed; another payload gets 422; a duplicate while
 * the first is still running gets 409.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly records: IdempotencyRepository,
    private readonly clock: Clock,
    private readonly settings: IdempotencySettings,
    private readonly reservationSettings: ReservationSettings,
  ) {}

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyDecision> {
    const now = this.clock.now();
    const token = randomUUID();
    const claim = await this.records.claim({
      scope,
      key,
      fingerprint,
      token,
      now,
      leaseUntil: new Date(now.getTime() + this.settings.leaseSeconds * 1000),
    });
    if (claim.status === 'claimed') return { kind: 'proceed', token };
    if (claim.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
    if (claim.status === 'in_progress') throw new IdempotencyRequestInProgressError(key);
    return { kind: 'replay', response: claim.response };
  }

  async complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void> {
    await this.records.complete(scope, key, token, response, this.clock.now());
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    await this.records.release(scope, key, token);
  }

  /** Deletes records past the retention, in batches of the sweep batch size. */
  async purgeExpired(maxBatches = 20): Promise<number> {
    const batchSize = this.reservationSettings.sweepBatchSize;
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.settings.retentionSeconds * 1000);
    let purged = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const count = await this.records.purgeCreatedBefore(cutoff, now, batchSize);
      purged += count;
      if (count < batchSize) break;
    }
    return purged;
  }
}
