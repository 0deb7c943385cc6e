import { ApiKey, StoredApiKey } from '../api-keys/api-key';
import { ApiKeyInsertResult, ApiKeyRepository, ApiKeyRevocation } from '../api-keys/api-key.repository';

export class InMemoryApiKeyRepository extends ApiKeyRepository {
  private readonly rows = new Map<string, StoredApiKey>();

  async insert(key: StoredApiKey): Promise<ApiKeyInsertResult> {
    if ([...this.rows.values()].some((row) => row.prefix === key.prefix)) return { status: 'duplicate_prefix' };
    this.rows.set(key.id, structuredClone(key));
    return { status: 'inserted' };
  }

  async findByPrefix(prefix: string): Promise<StoredApiKey | null> {
    const row = [...this.rows.values()].find((candidate) => candidate.prefix === prefix);
    return row ? structuredClone(row) : null;
  }

  async list(): Promise<ApiKey[]> {
    return [...this.rows.values()]
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
      .map(({ secretHash: _hash, ...key }) => structuredClone(key));
  }

  async revokeIfActive(id: string, now: Date): Promise<ApiKeyRevocation> {
    const row = this.rows.get(id);
    if (!row) return { status: 'not_found' };
    const { secretHash: _hash, ...key } = row;
    if (row.revokedAt !== null) return { status: 'already_revoked', apiKey: structuredClone(key) };
    row.revokedAt = now;
    return { status: 'revoked', apiKey: { ...structuredClone(key), revokedAt: now } };
  }
}
