import { ANONYMOUS_CLIENT_ID, ChangeContext } from '@app/core';

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the API key that authenticated the request (set by ApiKeyGuard); undefined without a key. */
    apiKeyId?: string;
  }
}

/** Whose request this is, for what is kept per client (idempotency keys): the API key's id, else the anonymous client. */
export function clientIdOf(request: { apiKeyId?: string }): string {
  return request.apiKeyId ?? ANONYMOUS_CLIENT_ID;
}

/** Who changes stock, for the ledger: the API key's id, null without a key; with the admin's `reason` when given. */
export function changeContextOf(request: { apiKeyId?: string }, reason?: string | null): ChangeContext {
  return reason === undefined ? { actor: request.apiKeyId ?? null } : { actor: request.apiKeyId ?? null, reason };
}
