import { DatabaseConfig } from '@app/persistence';
import { LoggerService } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../apps/api/src/app.factory';
import { AppConfig, loadAppConfig } from '../../apps/api/src/config/app-config';

/** Collects what the app logs, so tests can assert on it. */
export class RecordingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  debug(): void {}
  verbose(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map(String).join(' '));
  }
}

export interface TestApp {
  app: NestFastifyApplication;
  logger: RecordingLogger;
  /** Pass to supertest: request(server). */
  server: ReturnType<NestFastifyApplication['getHttpServer']>;
}

/**
 * The real application (same factory as main.ts) on the given database, initialised but not listening on a port.
 * Rate limits are off unless a test passes `rateLimit` (see rateLimitOverrides): suites that fire many requests from
 * one address, like the race tests, must not meet a 429 they are not testing. The metrics listener is off too (the
 * metrics are still collected); a test that scrapes passes `metrics` with port 0.
 */
export async function createTestApp(database: DatabaseConfig, overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const defaults = loadAppConfig({ LOG_LEVEL: 'error', RATE_LIMIT_ENABLED: 'false', METRICS_ENABLED: 'false' });
  const config: AppConfig = { ...defaults, database, ...overrides };
  const logger = new RecordingLogger();
  const app = await createApp(config, logger);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, logger, server: app.getHttpServer() };
}
