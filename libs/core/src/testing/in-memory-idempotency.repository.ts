import { IdempotencyClaim, IdempotencyClaimRequest, IdempotencyCompletion } from '../idempotency/idempotency-record';
import { IdempotencyRepository } from '../idempotency/idempotency.repository';
import { idempotencyRowId, InMemoryStore } from './in-memory-store';

export class InMemoryIdempotencyRepository extends IdempotencyRepository {
  private readonly rows: InMemoryStore['idempotency'];

  /** Pass the store the reservation fake uses, so records a reserve writes are seen here. */
  constructor(store: InMemoryStore = new InMemoryStore()) {
    super();
    this.rows = store.idempotency;
  }

  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    const id = idempotencyRowId(request.scope, request.key);
    const row = this.rows.get(id);
    const takeover = row && !row.response && row.fingerprint === request.fingerprint && row.leaseUntil.getTime() < request.now.getTime();
    if (!row || takeover) {
      this.rows.set(id, {
        fingerprint: request.fingerprint,
        token: request.token,
        leaseUntil: request.leaseUntil,
        createdAt: row?.createdAt ?? request.now,
        response: null,
      });
      return { status: 'claimed' };
    }
    return row.response
      ? { status: 'completed', fingerprint: row.fingerprint, response: structuredClone(row.response) }
      : { status: 'in_progress', fingerprint: row.fingerprint };
  }

  async complete({ scope, key, token, response }: IdempotencyCompletion): Promise<boolean> {
    const row = this.rows.get(idempotencyRowId(scope, key));
    if (!row || row.response || row.token !== token) return false;
    row.response = structuredClone(response);
    return true;
  }

  async renew(scope: string, key: string, token: string, leaseUntil: Date): Promise<boolean> {
    const row = this.rows.get(idempotencyRowId(scope, key));
    if (!row || row.response || row.token !== token) return false;
    row.leaseUntil = leaseUntil;
    return true;
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    const id = idempotencyRowId(scope, key);
    const row = this.rows.get(id);
    if (row && !row.response && row.token === token) this.rows.delete(id);
  }

  async purgeCreatedBefore(cutoff: Date, now: Date, limit: number): Promise<number> {
    let purged = 0;
    for (const [id, row] of this.rows) {
      if (purged >= limit) break;
      const finishedOrAbandoned = row.response !== null || row.leaseUntil.getTime() < now.getTime();
      if (row.createdAt.getTime() < cutoff.getTime() && finishedOrAbandoned) {
        this.rows.delete(id);
        purged++;
      }
    }
    return purged;
  }
}
