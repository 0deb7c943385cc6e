import { normalizeIp } from '@nestjs/throttler';

declare module 'fastify' {
  interface FastifyRequest {
    /** The id of the API key that authenticated this request, set by the authentication step when there is one. */
    apiKeyId?: string;
  }
}

export interface IdentifiableRequest {
  apiKeyId?: string;
  /** Fastify's client address: the socket peer, or X-Forwarded-For's when TRUST_PROXY trusts the peer. */
  ip: string;
}

/**
 * Whom a request counts against: its API key when it has one, else its IP address (IPv6 by /64, the block one
 * host usually holds, so rotating addresses inside it gains nothing).
 */
export function clientIdentity(request: IdentifiableRequest): string {
  return request.apiKeyId ? `key:${request.apiKeyId}` : `ip:${normalizeIp(request.ip)}`;
}
