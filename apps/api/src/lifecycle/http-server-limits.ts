import { Logger } from '@nestjs/common';
import { FastifyHttpOptions } from 'fastify';
import { Server as HttpServer } from 'node:http';
import { Server } from 'node:net';
import { replyToClientError } from '../common/client-error-reply';
import { AppConfig } from '../config/app-config';

const DROP_REPORT_INTERVAL_MS = 10_000;

/** Fastify options bounding how long a client may take to send a request and keep an idle connection. */
export function httpServerOptions(
  limits: AppConfig['http'],
): Pick<FastifyHttpOptions<HttpServer>, 'requestTimeout' | 'keepAliveTimeout' | 'http' | 'clientErrorHandler'> {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      // Given at construction too: on Node 20, a requestTimeout assigned afterwards (as Fastify does) bounds
      // the headers but not a body that stalls. The checking interval is the timeout's precision (default 30 s).
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, limits.requestTimeoutMs),
    },
    clientErrorHandler: replyToClientError,
  };
}

/**
 * Refuses connections beyond `max` at accept, so a flood of slow clients cannot take the file descriptors
 * the database pool needs (it would then fail every request). Refusals are logged at most every 10 s.
 */
export function capConnections(server: Server, max: number): void {
  const logger = new Logger('Connections');
  server.maxConnections = max;
  let refused = 0;
  let reportedAt = 0;
  server.on('drop', () => {
    refused++;
    if (Date.now() - reportedAt < DROP_REPORT_INTERVAL_MS) return;
    logger.warn(`MAX_CONNECTIONS (${max}) reached: refused ${refused} connection(s) since the last report`);
    refused = 0;
    reportedAt = Date.now();
  });
}
