import 'reflect-metadata';
import { DatabaseConfigError, DataDirInUseError, describeDatabase, isDatabaseUnavailableError, MongoStandaloneError } from '@app/persistence';
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { ConfigValidationError, loadAppConfig } from './config/app-config';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { MetricsPortUnavailableError } from './metrics/metrics-server';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env);
  const app = await createApp(config);
  installGracefulShutdown(app, config.shutdown);
  await app.listen({ port: config.port, host: config.host });
  new Logger('Bootstrap').log(
    `Listening on ${await app.getUrl()} (database: ${describeDatabase(config.database)}; docs at /docs)`,
  );
}

bootstrap().catch((error: unknown) => {
  // One clear line for configuration and startup problems; the stack only for the unexpected.
  const known =
    error instanceof ConfigValidationError ||
    error instanceof DatabaseConfigError ||
    error instanceof DataDirInUseError ||
    error instanceof MongoStandaloneError ||
    error instanceof MetricsPortUnavailableError ||
    isDatabaseUnavailableError(error);
  console.error(`Startup failed: ${error instanceof Error ? error.message : String(error)}`);
  if (!known && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});
