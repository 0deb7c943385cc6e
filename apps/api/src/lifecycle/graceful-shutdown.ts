import { INestApplication, Logger } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

export interface GracefulShutdownOptions {
  drainDelayMs: number;
  timeoutMs: number;
}

/**
 * SIGTERM (Kubernetes): readiness turns 503, wait drainDelayMs so endpoints are updated, then close.
 * SIGINT (Ctrl-C): close at once. Closing stops new connections, lets in-flight requests finish (their handlers
 * too, when the client has gone: see requests-in-flight.ts), stops the maintenance jobs (waiting for a sweep
 * or purge in progress) and closes the database; the process then exits 0, or 1 if that took longer than timeoutMs.
 */
export function installGracefulShutdown(app: INestApplication, options: GracefulShutdownOptions): void {
  const logger = new Logger('Shutdown');
  let started = false;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (started) {
      logger.warn(`${signal} received again: shutdown is already under way`);
      return;
    }
    started = true;
    app.get(ShutdownState).beginDraining();
    const drainMs = signal === 'SIGTERM' ? options.drainDelayMs : 0;
    logger.log(`${signal} received: readiness is now 503; closing in ${drainMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, drainMs));

    const deadline = setTimeout(() => {
      logger.error(`Shutdown did not finish within ${options.timeoutMs} ms; exiting`);
      process.exit(1);
    }, options.timeoutMs);
    deadline.unref();
    try {
      logger.log('Closing: no new connections; waiting for in-flight requests');
      await app.close();
      logger.log('Shutdown complete');
      process.exit(0);
    } catch (error) {
      logger.error('Shutdown failed', error instanceof Error ? error.stack : String(error));
      process.exit(1);
    }
  };

  // `on`, not `once`: a repeated signal must not fall through to Node's default (immediate death).
  process.on('SIGTERM', (signal) => void shutdown(signal));
  process.on('SIGINT', (signal) => void shutdown(signal));
}
