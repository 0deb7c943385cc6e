/** What a key may do. A key holds one or more; admin routes each need one, customer routes may (see the API's guard). */
export const API_KEY_SCOPES = ['inventory:read', 'inventory:write', 'reservations:write', 'keys:write', 'webhooks:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const API_KEY_NAME_MAX_LENGTH = 100;

/** A client's credential as the service shows it: never the secret, never its hash. */
export interface ApiKey {
  id: string;
  name: string;
  /** The key's first characters (`irs_` and 8 more), stored in clear so a key can be recognised in lists and logs. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  /** When it stopped working; null while active. */
  revokedAt: Date | null;
}

/** A key as stored: the SHA-256 of the secret (hex), never the secret itself. */
export interface StoredApiKey extends ApiKey {
  secretHash: string;
}

export interface NewApiKey {
  name: string;
  scopes: ApiKeyScope[];
}

/** A new key and its secret, which exists only in this value: it is shown once and stored only as a hash. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  secret: string;
}

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** Whether `key` grants `scope`; a revoked key grants nothing. */
export function grants(key: ApiKey, scope: ApiKeyScope): boolean {
  return key.revokedAt === null && key.scopes.includes(scope);
}
