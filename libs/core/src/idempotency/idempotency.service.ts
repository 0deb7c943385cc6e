import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { idempotencyKeyNamed, LOST_RACE, retryLostRaces } from '../concurrency/lost-races';
import { MaintenanceSettings } from '../maintenance/maintenance-settings';
import { runInBatches } from '../maintenance/run-in-batches';
import { Clock } from '../time/clock';
import { RecordDraft, StoredResponse } from './idempotency-record';
import { IdempotencyKeyReusedError, IdempotencyRequestInProgressError } from './idempotency.errors';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencySettings } from './idempotency-settings';

export type IdempotencyDecision = { kind: 'proceed'; token: string } | { kind: 'replay'; response: StoredResponse };

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
    private readonly maintenance: MaintenanceSettings,
  ) {}

  /** A claim that raced a release of the same key (`contended`) is tried again. */
  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyDecision> {
    const token = randomUUID();
    const claim = await retryLostRaces(idempotencyKeyNamed(key), async () => {
      const now = this.clock.now();
      const leaseUntil = new Date(now.getTime() + this.settings.leaseSeconds * 1000);
      const outcome = await this.records.claim({ scope, key, fingerprint, token, now, leaseUntil });
      return outcome.status === 'contended' ? LOST_RACE : outcome;
    });
    if (claim.status === 'claimed') return { kind: 'proceed', token };
    if (claim.fingerprint !== fingerprint) throw new IdempotencyKeyReusedError(key);
    if (claim.status === 'in_progress') throw new IdempotencyRequestInProgressError(key);
    return { kind: 'replay', response: claim.response };
  }

  /** A record the change will write itself, complete, in its own atomic step (see ResponseRecord). */
  draft(scope: string, key: string, fingerprint: string): RecordDraft {
    const now = this.clock.now();
    const retainUntil = new Date(now.getTime() + this.settings.retentionSeconds * 1000);
    return { scope, key, fingerprint, token: randomUUID(), now, retainUntil };
  }

  async complete(scope: string, key: string, token: string, response: StoredResponse): Promise<void> {
    const now = this.clock.now();
    const retainUntil = new Date(now.getTime() + this.settings.retentionSeconds * 1000);
    await this.records.complete({ scope, key, token, response, now, retainUntil });
  }

  /** Keeps a running request's claim: its lease starts again from now. False once the claim is no longer this token's. */
  async renew(scope: string, key: string, token: string): Promise<boolean> {
    const leaseUntil = new Date(this.clock.now().getTime() + this.settings.leaseSeconds * 1000);
    return this.records.renew(scope, key, token, leaseUntil);
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    await this.records.release(scope, key, token);
  }

  /** Deletes records past the retention, in bounded batches. */
  async purgeExpired(): Promise<number> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.settings.retentionSeconds * 1000);
    return runInBatches(this.maintenance, (limit) => this.records.purgeCreatedBefore(cutoff, now, limit));
  }
}
