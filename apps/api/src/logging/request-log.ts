import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppLogger } from './app-logger';

/** Set by the API-key guard when a request authenticated with a key: its id, never the key. */
interface KeyedRequest extends FastifyRequest {
  apiKeyId?: string;
}

/** Probes come every few seconds from the orchestrator: their lines only at LOG_LEVEL=debug. */
const QUIET_ROUTE_PREFIX = '/health';

/** One structured line per request, when its response has been sent; no header is logged. */
export function registerRequestLog(fastify: FastifyInstance, logger: AppLogger): void {
  fastify.addHook('onResponse', async (request: KeyedRequest, reply) => {
    const route = request.routeOptions.url;
    const level = route?.startsWith(QUIET_ROUTE_PREFIX) ? 'debug' : 'info';
    if (!logger.pino.isLevelEnabled(level)) return;
    const latencyMs = Math.round(reply.elapsedTime * 10) / 10;
    const line = {
      context: 'HTTP',
      reqId: request.id,
      method: request.method,
      route: route ?? null,
      url: request.url,
      status: reply.statusCode,
      latencyMs,
      ...(request.apiKeyId ? { apiKeyId: request.apiKeyId } : {}),
    };
    logger.pino[level](line, `${request.method} ${request.url} -> ${reply.statusCode} (${latencyMs} ms)`);
  });
}
