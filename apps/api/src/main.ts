import 'reflect-metadata';
import {
  DatabaseConfigError,
  DataDirInUseError,
  describeDatabase,
  isDatabaseUnavailableError,
  MongoStandaloneError,
} from '@app/persistence';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { ConfigValidationError, loadAppConfig } from './config/app-config';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { listenOn, PortUnavailableError } from './lifecycle/listen';
import { connectionCapWarning, openFileLimit } from './lifecycle/open-file-limit';

const CLOSE_AFTER_FAILED_START_MS = 5_000;
let app: NestFastifyApplication | undefined;
import { MetricsPortUnavailableError } from './metrics/metrics-server';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env);
  app = await createApp(config);
  installGracefulShutdown(app, config.shutdown);
  const logger = new Logger('Bootstrap');
  // MongoDB: the driver's default maxPoolSize (node_modules/mongodb/lib/connection_string.js). PGlite opens no sockets.
  const poolMax = config.database.kind === 'postgres' ? config.database.poolMax : config.database.kind === 'mongo' ? 100 : 0;
  const capWarning = connectionCapWarning(config.http.maxConnections, poolMax, openFileLimit());
  if (capWarning) logger.warn(capWarning);
  const address = await listenOn(app, config.port, config.host);
  logger.log(
    `Listening on ${address} (database: ${describeDatabase(config.database)}; ${config.docsEnabled ? 'docs at /docs' : 'docs off'})`,
  );
}

bootstrap().catch(async (error: unknown) => {
  // One clear line for configuration and startup problems; the stack only for the unexpected.
  const known =
    error instanceof ConfigValidationError ||
    error instanceof DatabaseConfigError ||
    error instanceof DataDirInUseError ||
    error instanceof MongoStandaloneError ||
    error instanceof PortUnavailableError ||
    error instanceof MetricsPortUnavailableError ||
    isDatabaseUnavailableError(error);
  // Built but not listening: release the database (and the PGlite folder lock) before exiting.
  if (app)
    await Promise.race([
      app.close().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, CLOSE_AFTER_FAILED_START_MS).unref()),
    ]);
  console.error(`Startup failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!known && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});
