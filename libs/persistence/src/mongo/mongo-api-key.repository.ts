import { ApiKey, ApiKeyInsertResult, ApiKeyRepository, ApiKeyRevocation, StoredApiKey } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import type { MongoHandle } from './mongo-handle/database';
import { isDuplicateKey } from './mongo-errors';
import { toApiKey, toApiKeyDocument, toStoredApiKey } from './mongo-mappers';
import { MONGO_HANDLE } from './mongo.tokens';

@Injectable()
export class MongoApiKeyRepository extends ApiKeyRepository {
  constructor(@Inject(MONGO_HANDLE) private readonly handle: MongoHandle) {
    super();
  }

  /** The unique prefix index refuses a second key with the same prefix (11000). */
  async insert(key: StoredApiKey): Promise<ApiKeyInsertResult> {
    try {
      await this.handle.apiKeys.insertOne(toApiKeyDocument(key));
      return { status: 'inserted' };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return { status: 'duplicate_prefix' };
    }
  }

  async findByPrefix(prefix: string): Promise<StoredApiKey | null> {
    const doc = await this.handle.apiKeys.findOne({ prefix });
    return doc ? toStoredApiKey(doc) : null;
  }

  async list(): Promise<ApiKey[]> {
    const docs = await this.handle.apiKeys
      .find({}, { projection: { secretHash: 0 } })
      .sort({ createdAt: 1, _id: 1 })
      .toArray();
    return docs.map(toApiKey);
  }

  /** One conditional write (`revokedAt: null`), then, if it matched nothing, a read of why. */
  async revokeIfActive(id: string, now: Date): Promise<ApiKeyRevocation> {
    const revoked = await this.handle.apiKeys.findOneAndUpdate(
      { _id: id, revokedAt: null },
      { $set: { revokedAt: now } },
      { returnDocument: 'after', projection: { secretHash: 0 } },
    );
    if (revoked) return { status: 'revoked', apiKey: toApiKey(revoked) };
    const current = await this.handle.apiKeys.findOne({ _id: id }, { projection: { secretHash: 0 } });
    return current ? { status: 'already_revoked', apiKey: toApiKey(current) } : { status: 'not_found' };
  }
}
