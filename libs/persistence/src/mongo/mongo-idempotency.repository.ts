import {
  claimOfExistingRecord,
  IdempotencyClaim,
  IdempotencyClaimRequest,
  IdempotencyRepository,
  IdempotencySettings,
  StoredResponse,
} from '@app/core';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model, mongo } from 'mongoose';
import { IdempotencyDocument } from './mongo-documents';
import { MONGO_DUPLICATE_KEY, mongoErrorCode } from './mongo-errors';
import { idempotencyTakeover } from './mongo-updates';
import { typedCollection } from './typed-collection';
import { IDEMPOTENCY_MODEL, MONGO_READY } from './mongo.tokens';

const CLAIM_ATTEMPTS = 3;

@Injectable()
export class MongoIdempotencyRepository extends IdempotencyRepository {
  private readonly records: mongo.Collection<IdempotencyDocument>;

  constructor(
    @InjectModel(IDEMPOTENCY_MODEL) recordsModel: Model<IdempotencyDocument>,
    @Inject(MONGO_READY) _ready: unknown,
    @Optional() private readonly settings?: IdempotencySettings,
  ) {
    super();
    this.records = typedCollection(recordsModel);
  }

  /** Insert (unique scope+key) or take over an abandoned claim; each is one atomic write. */
  async claim(request: IdempotencyClaimRequest): Promise<IdempotencyClaim> {
    const { scope, key, fingerprint, token, now, leaseUntil } = request;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.records.insertOne({
          scope,
          key,
          fingerprint,
          token,
          leaseUntil,
          responseStatus: null,
          responseBody: null,
          createdAt: now,
          completedAt: null,
          // Set on completion only: the TTL index must never remove a request still in progress.
          purgeAt: null,
        });
        return { status: 'claimed' };
      } catch (error) {
        if (mongoErrorCode(error) !== MONGO_DUPLICATE_KEY) throw error;
      }
      const takeover = idempotencyTakeover(scope, key, fingerprint, token, now, leaseUntil);
      if (await this.records.findOneAndUpdate(takeover.filter, takeover.update)) return { status: 'claimed' };

      const existing = await this.records.findOne({ scope, key });
      if (existing) return claimOfExistingRecord(existing);
      if (attempt >= CLAIM_ATTEMPTS) throw new Error(`Could not claim idempotency key '${key}': it kept changing`);
    }
  }

  async complete(scope: string, key: string, token: string, response: StoredResponse, now: Date): Promise<boolean> {
    const result = await this.records.updateOne(
      { scope, key, token, responseStatus: null },
      { $set: { responseStatus: response.statusCode, responseBody: response.body, completedAt: now, purgeAt: this.purgeAt(now) } },
    );
    return result.modifiedCount > 0;
  }

  async release(scope: string, key: string, token: string): Promise<void> {
    await this.records.deleteOne({ scope, key, token, responseStatus: null });
  }

  async purgeCreatedBefore(cutoff: Date, now: Date, limit: number): Promise<number> {
    const purgeable = { createdAt: { $lt: cutoff }, $or: [{ responseStatus: { $ne: null } }, { leaseUntil: { $lt: now } }] };
    const doomed = await this.records.find(purgeable, { projection: { _id: 1 } }).limit(limit).toArray();
    if (doomed.length === 0) return 0;
    // The condition is repeated: a record taken over between the find and the delete must survive.
    const result = await this.records.deleteMany({ _id: { $in: doomed.map((d) => d._id) }, ...purgeable });
    return result.deletedCount;
  }

  /** When the TTL index may delete a completed record (records of other kinds keep `null`). */
  private purgeAt(completedAt: Date): Date | null {
    return this.settings ? new Date(completedAt.getTime() + this.settings.retentionSeconds * 1000) : null;
  }
}
