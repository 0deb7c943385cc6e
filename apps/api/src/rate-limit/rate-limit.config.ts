export interface RateLimitConfig {
  enabled: boolean;
  /** Requests per minute per client on every /api/v1 route (the "general" policy). */
  perMinute: number;
  /** Requests per minute per client on the reserve-class routes (the "reserve" policy), on top of the general one. */
  reservePerMinute: number;
  /** Counters shared by every instance; without it each process counts on its own. */
  redisUrl?: string;
  /** Prefix of every Redis key, so several services (or test runs) can share one Redis. */
  keyPrefix: string;
}

const KEY_PREFIX_PATTERN = /^[A-Za-z0-9:_.-]{1,64}$/;

/** REDIS_URL must be redis:// or rediss:// with a host. */
export function parseRedisUrl(raw: string | undefined, problems: string[]): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['redis:', 'rediss:'].includes(url.protocol) || !url.hostname) {
    problems.push(`REDIS_URL must be a redis:// or rediss:// URL like redis://127.0.0.1:6379 (got '${redactRedisUrl(value)}')`);
    return undefined;
  }
  return value;
}

export function parseKeyPrefix(raw: string | undefined, problems: string[]): string {
  const value = raw?.trim();
  if (!value) return 'inventory:ratelimit:';
  if (KEY_PREFIX_PATTERN.test(value)) return value;
  problems.push(`RATE_LIMIT_KEY_PREFIX must be 1-64 characters of letters, digits and : _ . - (got '${raw}')`);
  return 'inventory:ratelimit:';
}

/** The URL without its password, for logs and error messages. */
export function redactRedisUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value.replace(/\/\/[^@/]*@/, '//***@');
  }
}
