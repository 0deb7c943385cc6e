import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../errors/domain-error';
import { Clock } from '../time/clock';
import { API_KEY_NAME_MAX_LENGTH, API_KEY_SCOPES, ApiKey, CreatedApiKey, isApiKeyScope, NewApiKey } from './api-key';
import { ApiKeyNotFoundError } from './api-key.errors';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeySettings } from './api-key-settings';
import { generateApiKeySecret, hashApiKeySecret, sameHash, visiblePrefixOf } from './api-key-secret';

/** The id under which requests made with ADMIN_API_KEY are known (idempotency scopes, rate limits, logs). */
export const ENVIRONMENT_KEY_ID = 'admin-env';
/** Two random 48-bit prefixes colliding is already unlikely; three in a row means something else is wrong. */
const INSERT_ATTEMPTS = 3;

@Injectable()
export class ApiKeyService {
  private readonly environmentKey: ApiKey | null;
  private readonly environmentKeyHash: string | null;

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly clock: Clock,
    settings: ApiKeySettings,
  ) {
    this.environmentKeyHash = settings.environmentKey ? hashApiKeySecret(settings.environmentKey) : null;
    this.environmentKey = settings.environmentKey
      ? { id: ENVIRONMENT_KEY_ID, name: 'ADMIN_API_KEY', prefix: '', scopes: [...API_KEY_SCOPES], createdAt: new Date(0), revokedAt: null }
      : null;
  }

  /** Creates a key with a fresh random secret; the secret is returned here once and stored only as its hash. */
  async create(input: NewApiKey): Promise<CreatedApiKey> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > API_KEY_NAME_MAX_LENGTH) {
      throw new InvalidInputError(`name must be 1-${API_KEY_NAME_MAX_LENGTH} characters`, { field: 'name' });
    }
    const scopes = [...new Set(input.scopes)];
    if (scopes.length === 0 || !scopes.every(isApiKeyScope)) {
      throw new InvalidInputError(`scopes must be one or more of ${API_KEY_SCOPES.join(', ')}`, { field: 'scopes' });
    }
    for (let attempt = 1; ; attempt++) {
      const secret = generateApiKeySecret();
      const apiKey: ApiKey = {
        id: randomUUID(),
        name,
        prefix: visiblePrefixOf(secret)!,
        scopes,
        createdAt: this.clock.now(),
        revokedAt: null,
      };
      const result = await this.keys.insert({ ...apiKey, secretHash: hashApiKeySecret(secret) });
      if (result.status === 'inserted') return { apiKey, secret };
      if (attempt >= INSERT_ATTEMPTS) throw new Error(`Could not draw an unused API key prefix in ${INSERT_ATTEMPTS} attempts`);
    }
  }

  /**
   * The active key whose secret this is, else null. One indexed read by the visible prefix, then the hashes are
   * compared in constant time; revocation is seen at once, on every instance. ADMIN_API_KEY needs no read.
   */
  async authenticate(secret: string): Promise<ApiKey | null> {
    const hash = hashApiKeySecret(secret);
    if (this.environmentKeyHash && sameHash(hash, this.environmentKeyHash)) return this.environmentKey;
    const prefix = visiblePrefixOf(secret);
    if (!prefix) return null;
    const stored = await this.keys.findByPrefix(prefix);
    if (!stored || !sameHash(hash, stored.secretHash) || stored.revokedAt !== null) return null;
    const { secretHash: _hash, ...apiKey } = stored;
    return apiKey;
  }

  list(): Promise<ApiKey[]> {
    return this.keys.list();
  }

  /** Revokes at once; revoking a revoked key again changes nothing and answers it as it is. */
  async revoke(id: string): Promise<ApiKey> {
    const result = await this.keys.revokeIfActive(id, this.clock.now());
    if (result.status === 'not_found') throw new ApiKeyNotFoundError(id);
    return result.apiKey;
  }
}
