import { ApiKey, ApiKeyInsertResult, ApiKeyRepository, ApiKeyRevocation, StoredApiKey } from '@app/core';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { DrizzleHandle } from './drizzle-handle/database';
import { ApiKeySqlRow, isoTimestamp, toApiKey, toStoredApiKey } from './drizzle-mappers';
import { DRIZZLE_HANDLE } from './drizzle.tokens';

const PUBLIC_COLUMNS = sql.raw('id, name, prefix, scopes, created_at, revoked_at');

@Injectable()
export class DrizzleApiKeyRepository extends ApiKeyRepository {
  constructor(@Inject(DRIZZLE_HANDLE) private readonly handle: DrizzleHandle) {
    super();
  }

  /** The unique prefix index refuses a second key with the same prefix; ON CONFLICT reports it without an error. */
  async insert(key: StoredApiKey): Promise<ApiKeyInsertResult> {
    const rows = await this.handle.rows(sql`
      INSERT INTO api_keys (id, name, prefix, secret_hash, scopes, created_at, revoked_at)
      VALUES (${key.id}::uuid, ${key.name}, ${key.prefix}, ${key.secretHash}, ${`{${key.scopes.join(',')}}`}::text[],
              ${isoTimestamp(key.createdAt)}::timestamptz, ${key.revokedAt ? isoTimestamp(key.revokedAt) : null}::timestamptz)
      ON CONFLICT (prefix) DO NOTHING
      RETURNING id`);
    return rows.length > 0 ? { status: 'inserted' } : { status: 'duplicate_prefix' };
  }

  /** Runs on every authenticated request: a prepared statement on the unique prefix index. */
  async findByPrefix(prefix: string): Promise<StoredApiKey | null> {
    const [row] = await this.handle.prepared<ApiKeySqlRow & { secret_hash: string }>(
      'api_key_by_prefix',
      sql`
      SELECT id, name, prefix, secret_hash, scopes, created_at, revoked_at FROM api_keys WHERE prefix = ${prefix}`,
    );
    return row ? toStoredApiKey(row) : null;
  }

  async list(): Promise<ApiKey[]> {
    const rows = await this.handle.rows<ApiKeySqlRow>(sql`SELECT ${PUBLIC_COLUMNS} FROM api_keys ORDER BY created_at, id`);
    return rows.map(toApiKey);
  }

  /** One conditional UPDATE (`revoked_at IS NULL`), then, if it matched nothing, a read of why. */
  async revokeIfActive(id: string, now: Date): Promise<ApiKeyRevocation> {
    const [revoked] = await this.handle.rows<ApiKeySqlRow>(sql`
      UPDATE api_keys SET revoked_at = ${isoTimestamp(now)}::timestamptz
      WHERE id = ${id}::uuid AND revoked_at IS NULL
      RETURNING ${PUBLIC_COLUMNS}`);
    if (revoked) return { status: 'revoked', apiKey: toApiKey(revoked) };
    const [current] = await this.handle.rows<ApiKeySqlRow>(sql`SELECT ${PUBLIC_COLUMNS} FROM api_keys WHERE id = ${id}::uuid`);
    return current ? { status: 'already_revoked', apiKey: toApiKey(current) } : { status: 'not_found' };
  }
}
