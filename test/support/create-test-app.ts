import { DatabaseConfig } from '@app/persistence';
import { LoggerService } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../apps/api/src/app.factory';
import { AppConfig, loadAppConfig } from '../../apps/api/src/config/app-config';

/** The ADMIN_API_KEY every test app accepts (every scope) unless a test overrides `auth`. */
export const TEST_ADMIN_API_KEY = 'test-admin-key-0123456789abcdefghijklmnopqrstuvwxyz';

/** Collects what the app logs, so tests can assert on it. */
export class RecordingLogger implements LoggerService {
  readonly errors: string[] = [];
  /** Every line, whatever its level. */
  readonly lines: string[] = [];
  log(...parts: unknown[]): void {
    this.record(parts);
  }
  warn(...parts: unknown[]): void {
    this.record(parts);
  }
  debug(...parts: unknown[]): void {
    this.record(parts);
  }
  verbose(...parts: unknown[]): void {
    this.record(parts);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map(String).join(' '));
    this.record([message, ...rest]);
  }
  private record(parts: unknown[]): void {
    this.lines.push(parts.map(String).join(' '));
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
  const config: AppConfig = {
    ...loadAppConfig({ LOG_LEVEL: 'error', RATE_LIMIT_ENABLED: 'false', METRICS_ENABLED: 'false', ADMIN_API_KEY: TEST_ADMIN_API_KEY }),
    database,
    ...overrides,
  };
  const logger = new RecordingLogger();
  const app = await createApp(config, logger);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, logger, server: app.getHttpServer() };
}

/** supertest on `server` with every request carrying `key` (by default the test ADMIN_API_KEY, which holds every scope). */
export function withKey(server: TestApp['server'], key: string = TEST_ADMIN_API_KEY): ReturnType<typeof request> {
  return request.agent(server).set('Authorization', `Bearer ${key}`);
}
