import { claimOfExistingRecord, IdempotencyClaim, IdempotencyClaimRequest, IdempotencyCompletion, IdempotencyRepository } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { isDuplicateKey } from './mongo-errors';
import { storedResponseBody, toIdempotencyDocument } from './mongo-mappers';
import { idempotencyTakeover } from './mongo-updates';
import { MONGO_HANDLE } from './mongo.tokens';

@Injectable()
export class MongoIdempotencyRepository extends IdempotencyRepository {
  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  /**
   * One attempt: insert (unique scope+key) or take over an abandoned claim, each one atomic write; else read the
   * record that refused it (`contended` if it was released meanwhile).
   */
  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    try {
      await this.handle.idempotency.insertOne(toIdempotencyDocument(request));
      return { status: 'claimed' };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const { scope, key, fingerprint, token, now, leaseUntil } = request;
    const takeover = idempotencyTakeover(scope, key, fingerprint, token, now, leaseUntil);
    if (await this.handle.idempotency.findOneAndUpdate(takeover.filter, takeover.update)) return { status: 'claimed' };
    return claimOfExistingRecord(await this.handle.idempotency.findOne({ scope, key }));
  }

  /** The completed record carries `retainUntil` as purgeAt, when the TTL index deletes it. */
  async complete({ scope, key, token, response, now, retainUntil }: IdempotencyCompletion): Promise<boolean> {
    const result = await this.handle.idempotency.updateOne(
      { scope, key, token, responseStatus: null },
      {
        $set: {
          responseStatus: response.statusCode,
          responseBody: storedResponseBody(response.body),
          completedAt: now,
          purgeAt: retainUntil,
        },
      },
    );
    return result.modifiedCount > 0;
  }

  async renew(scope: string, key: string, token: string, leaseUntil: Date): Promise<boolean> {
    const result = await this.handle.idempotency.updateOne({ scope, key, token, responseStatus: null }, { $set: { leaseUntil } });
    return result.matchedCount > 0;
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    await this.handle.idempotency.deleteOne({ scope, key, token, responseStatus: null });
  }

  async purgeCreatedBefore(cutoff: Date, now: Date, limit: number): Promise<number> {
    const purgeable = { createdAt: { $lt: cutoff }, $or: [{ responseStatus: { $ne: null } }, { leaseUntil: { $lt: now } }] };
    const doomed = await this.handle.idempotency
      .find(purgeable, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    if (doomed.length === 0) return 0;
    // The condition is repeated: a record taken over between the find and the delete must survive.
    const result = await this.handle.idempotency.deleteMany({ _id: { $in: doomed.map((d) => d._id) }, ...purgeable });
    return result.deletedCount;
  }
}
