import type { FastifyInstance } from 'fastify';
import { isReserveClassRoute } from '../rate-limit/limited-routes';
import { AppMetrics } from './app-metrics';
import { errorCodeOf, reservationOutcome } from './reservation-outcome';

/** The label for requests no route matched, so scanners probing random paths add one series, not one per path. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Times every request by its route template, and counts each reserve request's outcome from its response. */
export function registerRequestMetrics(fastify: FastifyInstance, metrics: AppMetrics): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!isReserveClassRoute(request)) return payload;
    const replayed = reply.getHeader('idempotent-replayed') === 'true';
    const code = reply.statusCode >= 400 ? errorCodeOf(payload) : undefined;
    metrics.reservationAnswered(reservationOutcome(reply.statusCode, code, replayed));
    return payload;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.requestFinished(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode, reply.elapsedTime / 1000);
  });
}
