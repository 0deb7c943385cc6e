import { DEFAULT_MAX_TTL_SECONDS, MAX_QUANTITY, MAX_RESERVE_QUANTITY } from '@app/core';
import { DatabaseConfig, DatabaseConfigError, parseDatabaseConfig } from '@app/persistence';
import { LogLevel } from '@nestjs/common';
import type { MetricsConfig } from '../metrics/metrics.config';
import { parseKeyPrefix, parseRedisUrl, RateLimitConfig } from '../rate-limit/rate-limit.config';
import { cronEvery } from '../scheduling/cron-every';
import { parseTrustProxy, TrustProxy } from './trust-proxy';

export interface AppConfig {
  port: number;
  host: string;
  /** `false`: no cross-origin access (the default); `'*'`: any origin; a list: exactly those origins. */
  corsOrigin: false | '*' | string[];
  /** Strict-Transport-Security max-age; 0 sends no HSTS header. */
  hstsMaxAgeSeconds: number;
  /** Swagger UI at /docs and the OpenAPI document at /docs-json. */
  docsEnabled: boolean;
  logLevels: LogLevel[];
  /** `auto`: human-readable on a terminal, one JSON object per line otherwise (see logging/log-format.ts). */
  logFormat: LogFormat;
  bodyLimitBytes: number;
  /** Whose X-Forwarded-For to believe for the client IP (Fastify's trustProxy). */
  trustProxy: TrustProxy;
  rateLimit: RateLimitConfig;
  metrics: MetricsConfig;
  shutdown: {
    /** After SIGTERM, how long readiness answers 503 before the server stops accepting requests. */
    drainDelayMs: number;
    /** Upper bound on closing the server, schedulers and database after the drain delay. */
    timeoutMs: number;
  };
  http: {
    /** The whole request (headers and body) must arrive within this, or the client gets 408 and the connection closes. */
    requestTimeoutMs: number;
    /** How long an idle keep-alive connection stays open; above a load balancer's idle timeout (see README). */
    keepAliveTimeoutMs: number;
    /** Most client connections open at once; beyond it new ones are refused, so the database keeps file descriptors. */
    maxConnections: number;
  };
  reservations: {
    ttlSeconds: number;
    sweepIntervalSeconds: number;
    sweepBatchSize: number;
    retentionSeconds: number;
    /** How often finished holds and idempotency records past their retention are deleted. */
    purgeIntervalSeconds: number;
    /** Largest quantity one line of a hold may take. */
    maxQuantity: number;
    /** Longest a hold may live from its creation: the largest ttlSeconds a request may ask for, and the bound on extensions. */
    maxTtlSeconds: number;
    /** Cap on the units one customer may hold of a SKU without a cap of its own; null: none. */
    maxPerCustomer: number | null;
  };
  idempotency: {
    retentionSeconds: number;
    leaseSeconds: number;
  };
  inventory: {
    /** LOW_STOCK_THRESHOLD: the lowStockThreshold of a SKU created without one; null: none. */
    lowStockThreshold: number | null;
  };
  webhooks: {
    /** WEBHOOK_ALLOW_HTTP: http:// endpoint URLs are accepted (https always is). */
    allowHttp: boolean;
    /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: private and loopback addresses are accepted (link-local and metadata never). */
    allowPrivateNetworks: boolean;
    /** How often each instance's delivery worker fans out new events and sends due deliveries. */
    deliveryIntervalSeconds: number;
    /** One try's time limit: connecting, sending and the receiver's answer. */
    timeoutMs: number;
    /** WEBHOOK_HISTORY_RETENTION_SECONDS: how long delivered events, finished deliveries and attempts are kept. */
    historyRetentionSeconds: number;
    /** Not read from the environment: tests shorten the retry schedule with it (default: the core's RETRY_DELAYS_SECONDS). */
    retryDelaysSeconds?: readonly number[];
  };
  auth: {
    /** ADMIN_API_KEY: accepted as a key with every scope. Never logged. */
    adminApiKey?: string;
    /** CUSTOMER_API_KEY_REQUIRED: customer routes need a key too (writes: reservations:write; reads: any key). */
    customerKeyRequired: boolean;
  };
  database: DatabaseConfig;
}

/** Shorter keys are refused at startup; generate one with `openssl rand -base64 48`. */
export const ADMIN_API_KEY_MIN_LENGTH = 32;
const ADMIN_API_KEY_MAX_LENGTH = 512;

export type Env = Record<string, string | undefined>;
export type LogFormat = 'auto' | 'text' | 'json';

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

export class ConfigValidationError extends Error {
  override name = 'ConfigValidationError';

  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

/** Reads and validates every setting once; collects all problems so one start shows them all. */
export function loadAppConfig(env: Env): AppConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got '${raw}')`);
      return fallback;
    }
    return value;
  };
  const optionalInt = (name: string, min: number, max: number): number | null => (env[name]?.trim() ? int(name, min, min, max) : null);
  // The maintenance jobs run on cron schedules, which express only intervals that step one field (see cronEvery).
  const interval = (name: string, fallback: number, min: number, max: number): number => {
    const value = int(name, fallback, min, max);
    if (cronEvery(value) !== undefined) return value;
    problems.push(`${name} must be under 60 seconds, or whole minutes under an hour, or whole hours (got '${value}')`);
    return fallback;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got '${env[name]}')`);
      return fallback;
    }
    return raw as T;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got '${env[name]}')`);
    return fallback;
  };

  const port = int('PORT', 3000, 0, 65535);
  const logLevel = oneOf('LOG_LEVEL', LOG_LEVELS, 'log');
  const logFormat = oneOf('LOG_FORMAT', ['auto', 'text', 'json'] as const, 'auto');
  const bodyLimitBytes = int('BODY_LIMIT_BYTES', 1_048_576, 1_024, 104_857_600);
  const drainDelayMs = int('SHUTDOWN_DRAIN_DELAY_MS', 5_000, 0, 600_000);
  const timeoutMs = int('SHUTDOWN_TIMEOUT_MS', 15_000, 100, 600_000);
  const poolMax = int('DATABASE_POOL_MAX', 10, 1, 1_000);
  const http = {
    requestTimeoutMs: int('REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', 72_000, 100, 600_000),
    maxConnections: int('MAX_CONNECTIONS', 1_000, 1, 1_000_000),
  };
  const corsOrigin = parseCorsOrigin(env.CORS_ORIGIN, problems);
  const hstsMaxAgeSeconds = int('HSTS_MAX_AGE_SECONDS', 0, 0, 63_072_000);
  const docsEnabled = bool('DOCS_ENABLED', true);
  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const host = env.HOST?.trim() || '0.0.0.0';
  const metrics: MetricsConfig = { enabled: bool('METRICS_ENABLED', true), port: int('METRICS_PORT', 9100, 0, 65535), host };
  if (metrics.enabled && metrics.port !== 0 && metrics.port === port) problems.push(`METRICS_PORT must differ from PORT (both ${port})`);
  const rateLimit: RateLimitConfig = {
    enabled: oneOf('RATE_LIMIT_ENABLED', ['true', 'false'] as const, 'true') === 'true',
    perMinute: int('RATE_LIMIT_PER_MINUTE', 1_200, 1, 1_000_000),
    reservePerMinute: int('RATE_LIMIT_RESERVE_PER_MINUTE', 120, 1, 1_000_000),
    redisUrl: parseRedisUrl(env.REDIS_URL, problems),
    keyPrefix: parseKeyPrefix(env.RATE_LIMIT_KEY_PREFIX, problems),
  };
  const reservations = {
    ttlSeconds: int('RESERVATION_TTL_SECONDS', 300, 1, 86_400),
    sweepIntervalSeconds: interval('EXPIRY_SWEEP_INTERVAL_SECONDS', 5, 1, 3_600),
    sweepBatchSize: int('EXPIRY_SWEEP_BATCH_SIZE', 500, 1, 10_000),
    retentionSeconds: int('RESERVATION_RETENTION_SECONDS', 604_800, 60, 31_536_000),
    purgeIntervalSeconds: interval('RETENTION_PURGE_INTERVAL_SECONDS', 600, 60, 86_400),
    maxQuantity: int('RESERVATION_MAX_QUANTITY', MAX_RESERVE_QUANTITY, 1, MAX_QUANTITY),
    maxTtlSeconds: int('RESERVATION_MAX_TTL_SECONDS', DEFAULT_MAX_TTL_SECONDS, 1, 86_400),
    maxPerCustomer: optionalInt('RESERVATION_MAX_PER_CUSTOMER', 1, MAX_QUANTITY),
  };
  const idempotency = {
    retentionSeconds: int('IDEMPOTENCY_RETENTION_SECONDS', 86_400, 86_400, 31_536_000),
    leaseSeconds: int('IDEMPOTENCY_LEASE_SECONDS', 10, 1, 3_600),
  };

  const inventory = { lowStockThreshold: optionalInt('LOW_STOCK_THRESHOLD', 1, MAX_QUANTITY) };
  const webhooks = {
    allowHttp: bool('WEBHOOK_ALLOW_HTTP', false),
    allowPrivateNetworks: bool('WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    deliveryIntervalSeconds: interval('WEBHOOK_DELIVERY_INTERVAL_SECONDS', 1, 1, 3_600),
    timeoutMs: int('WEBHOOK_TIMEOUT_MS', 10_000, 100, 60_000),
    historyRetentionSeconds: int('WEBHOOK_HISTORY_RETENTION_SECONDS', 604_800, 3_600, 31_536_000),
  };

  const auth = {
    adminApiKey: parseAdminApiKey(env.ADMIN_API_KEY, problems),
    customerKeyRequired: bool('CUSTOMER_API_KEY_REQUIRED', false),
  };

  if (reservations.ttlSeconds > reservations.maxTtlSeconds) {
    // The default TTL is a TTL every hold without its own gets; it must be one a request could ask for.
    problems.push(
      `RESERVATION_TTL_SECONDS (${reservations.ttlSeconds}) must not exceed ` +
        `RESERVATION_MAX_TTL_SECONDS (${reservations.maxTtlSeconds}); raise RESERVATION_MAX_TTL_SECONDS or lower the TTL`,
    );
  }

  if (reservations.retentionSeconds < idempotency.retentionSeconds) {
    // A hold's unique idempotency key is the last guard against a second hold for a retried request;
    // it must outlive every idempotency record.
    problems.push(
      `RESERVATION_RETENTION_SECONDS (${reservations.retentionSeconds}) must be at least ` +
        `IDEMPOTENCY_RETENTION_SECONDS (${idempotency.retentionSeconds})`,
    );
  }

  let database: DatabaseConfig | undefined;
  try {
    const legacyName = env.MONGODB_URI?.trim() ? 'MONGODB_URI' : 'DEV_MONGODB_URI';
    database = parseDatabaseConfig({
      databaseUrl: env.DATABASE_URL,
      legacyMongoUri: [legacyName, env[legacyName]],
      pgliteDataDir: env.PGLITE_DATA_DIR,
      poolMax,
    });
  } catch (error) {
    if (!(error instanceof DatabaseConfigError)) throw error;
    problems.push(error.message);
  }

  if (problems.length > 0 || !database) throw new ConfigValidationError(problems);
  return {
    port,
    host,
    corsOrigin,
    hstsMaxAgeSeconds,
    docsEnabled,
    logLevels: LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(logLevel) + 1),
    logFormat,
    bodyLimitBytes,
    trustProxy,
    rateLimit,
    metrics,
    shutdown: { drainDelayMs, timeoutMs },
    http,
    reservations,
    idempotency,
    inventory,
    webhooks,
    auth,
    database,
  };
}

/** The value is never echoed (it is a credential): problems name the variable and the rule only. */
function parseAdminApiKey(raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw.length < ADMIN_API_KEY_MIN_LENGTH || raw.length > ADMIN_API_KEY_MAX_LENGTH) {
    problems.push(
      `ADMIN_API_KEY must be ${ADMIN_API_KEY_MIN_LENGTH}-${ADMIN_API_KEY_MAX_LENGTH} characters (it has ${raw.length}); ` +
        "generate one with: openssl rand -base64 48 | tr -d '\\n'",
    );
    return undefined;
  }
  if (!/^[\x21-\x7E]+$/.test(raw)) {
    problems.push('ADMIN_API_KEY must be printable ASCII without spaces (it is sent in an HTTP header)');
    return undefined;
  }
  return raw;
}

function parseCorsOrigin(raw: string | undefined, problems: string[]): false | '*' | string[] {
  const value = raw?.trim();
  if (!value) return false;
  if (value === '*') return '*';
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of origins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) {
      problems.push(`CORS_ORIGIN must be '*' or a comma-separated list of origins like https://shop.example.com (got '${origin}')`);
    }
  }
  return origins;
}
