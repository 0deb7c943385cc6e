import { DomainError } from '../errors/domain-error';

/** No key, or a key that is unknown or revoked (401 with `WWW-Authenticate: Bearer`). */
export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  readonly kind = 'unauthenticated' as const;

  constructor(message = 'A valid API key is required: send it as "Authorization: Bearer <key>" or "X-API-Key: <key>"') {
    super(message);
  }
}

/** A valid key without the scope the operation needs (403). */
export class MissingScopeError extends DomainError {
  readonly code = 'FORBIDDEN';
  readonly kind = 'forbidden' as const;

  constructor(scope: string) {
    super(`This API key lacks the scope '${scope}' that this operation requires`, { requiredScope: scope });
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'API_KEY_NOT_FOUND';
  readonly kind = 'not_found' as const;

  constructor(id: string) {
    super(`API key '${id}' not found`, { apiKeyId: id });
  }
}
