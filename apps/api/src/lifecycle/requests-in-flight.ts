import { Logger } from '@nestjs/common';
import { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorEnvelope } from '../common/api-envelope';

/**
 * Holds the close (and so the database, which Nest closes after Fastify) until every request received has been
 * handled. The server's close waits for connections, not handlers: a handler whose client hung up runs on after
 * the server closed, and its next statement (storing the idempotent response, say) would meet a closed pool.
 * A request counts from its arrival until its route handler settled (Nest's guards, interceptors and filter all
 * run inside it) or, if no handler took it (not found, unreadable body), until its response closed. The wait is
 * Fastify's onClose hook: hooks run last-registered first, so after Fastify's own, which closes the server.
 */
export function waitForRequestsInFlightOnClose(fastify: FastifyInstance, timeoutMs: number): void {
  const logger = new Logger('Shutdown');
  const arrived = new WeakMap<FastifyRequest, () => void>();
  let inFlight = 0;
  let closed = false;
  let onIdle: (() => void) | undefined;

  const hold = (): (() => void) => {
    inFlight++;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      if (--inFlight === 0) onIdle?.();
    };
  };
  const takeArrival = (request: FastifyRequest): (() => void) | undefined => {
    const release = arrived.get(request);
    arrived.delete(request);
    return release;
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    arrived.set(request, hold());
    reply.raw.once('close', () => takeArrival(request)?.());
    done();
  });

  fastify.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = function (this: FastifyInstance, request, reply) {
      if (closed) {
        takeArrival(request)?.();
        return refuse(request, reply);
      }
      const release = takeArrival(request) ?? hold();
      try {
        const result: unknown = handler.call(this, request, reply);
        if (isThenable(result)) return Promise.resolve(result).finally(release);
        release();
        return result;
      } catch (error) {
        release();
        throw error;
      }
    };
  });

  fastify.addHook('onClose', async () => {
    const waitedFor = inFlight;
    if (waitedFor > 0) {
      logger.log(`Waiting for ${waitedFor} request(s) still being handled before closing the database`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        timer.unref();
        onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      if (inFlight === 0) logger.log(`${waitedFor} request(s) handled; closing the database`);
      else logger.warn(`${inFlight} request(s) still running after ${timeoutMs} ms; closing the database anyway`);
    }
    closed = true;
  });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/** A handler about to start once the database is closing; its client left before it began. */
function refuse(request: FastifyRequest, reply: FastifyReply): void {
  const body: ErrorEnvelope = {
    success: false,
    message: 'The service is shutting down; retry shortly',
    code: 'SERVICE_UNAVAILABLE',
    requestId: request.id,
  };
  void reply.code(503).header('connection', 'close').send(body);
}
