import { ApiKey, StoredApiKey } from './api-key';

/** `duplicate_prefix`: another key already has this visible prefix (the caller draws a new secret). */
export type ApiKeyInsertResult = { status: 'inserted' } | { status: 'duplicate_prefix' };

export type ApiKeyRevocation =
  { status: 'revoked'; apiKey: ApiKey } | { status: 'already_revoked'; apiKey: ApiKey } | { status: 'not_found' };

/** Port for API keys, shared by every instance through the database. Each method is one atomic statement. */
export abstract class ApiKeyRepository {
  /** Inserts the key; the visible prefix is unique. */
  abstract insert(key: StoredApiKey): Promise<ApiKeyInsertResult>;

  /** The key with this visible prefix, revoked or not, with its hash; one indexed read (it runs on every authenticated request). */
  abstract findByPrefix(prefix: string): Promise<StoredApiKey | null>;

  /** Every key, revoked ones too, oldest first; never the hashes. */
  abstract list(): Promise<ApiKey[]>;

  /** Sets revokedAt to `now` if the key is still active; otherwise reports it as it stands. */
  abstract revokeIfActive(id: string, now: Date): Promise<ApiKeyRevocation>;
}
