import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownState } from './shutdown-state';

/**
 * Requests that arrive on an open connection while the server closes are served, not refused: the database
 * closes only after the HTTP server (Nest disposes the adapter before onApplicationShutdown), and each such
 * response carries `Connection: close`, so a connection brings at most one more. Fastify's default would
 * answer them its own bare 503.
 */
export const SERVE_WHILE_CLOSING = { return503OnClosing: false } as const;

/**
 * Moves keep-alive clients off this process while it drains: idle connections are closed when draining
 * begins, and every response from then on carries `Connection: close`. By the time the listener closes,
 * clients have reconnected (to another instance, behind a load balancer).
 */
export function installConnectionDrain(app: NestFastifyApplication): void {
  const state = app.get(ShutdownState);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (_request, reply) => {
      if (state.isDraining) reply.header('connection', 'close');
    });
  state.whenDraining(() => app.getHttpServer().closeIdleConnections());
}
