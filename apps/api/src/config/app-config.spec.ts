import { ConfigValidationError, loadAppConfig } from './app-config';

describe(loadAppConfig.name, () => {
  const ADMIN_KEY = 'k'.repeat(31) + '!';
  it('should apply the documented defaults', () => {
    expect(loadAppConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      corsOrigin: false,
      hstsMaxAgeSeconds: 0,
      docsEnabled: true,
      logLevels: ['fatal', 'error', 'warn', 'log'],
      logFormat: 'auto',
      bodyLimitBytes: 1_048_576,
      trustProxy: false,
      rateLimit: { enabled: true, perMinute: 1_200, reservePerMinute: 120, keyPrefix: 'inventory:ratelimit:' },
      metrics: { enabled: true, port: 9100, host: '0.0.0.0' },
      shutdown: { drainDelayMs: 5_000, timeoutMs: 15_000 },
      http: { requestTimeoutMs: 30_000, keepAliveTimeoutMs: 72_000, maxConnections: 1_000 },
      reservations: {
        ttlSeconds: 300,
        sweepIntervalSeconds: 5,
        sweepBatchSize: 500,
        retentionSeconds: 604_800,
        purgeIntervalSeconds: 600,
        maxQuantity: 10_000,
        maxTtlSeconds: 3_600,
        maxPerCustomer: null,
      },
      idempotency: { retentionSeconds: 86_400, leaseSeconds: 10 },
      inventory: { lowStockThreshold: null },
      webhooks: {
        allowHttp: false,
        allowPrivateNetworks: false,
        deliveryIntervalSeconds: 1,
        timeoutMs: 10_000,
        historyRetentionSeconds: 604_800,
      },
      auth: { adminApiKey: undefined, customerKeyRequired: false },
      database: { kind: 'pglite', dataDir: './data' },
    });
  });

  it('should read every variable', () => {
    const config = loadAppConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      CORS_ORIGIN: 'https://shop.example.com, https://admin.example.com',
      HSTS_MAX_AGE_SECONDS: '31536000',
      DOCS_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      BODY_LIMIT_BYTES: '2048',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '500',
      DATABASE_URL: 'postgres://db/shop',
      DATABASE_POOL_MAX: '4',
      RESERVATION_TTL_SECONDS: '60',
      EXPIRY_SWEEP_INTERVAL_SECONDS: '2',
      EXPIRY_SWEEP_BATCH_SIZE: '50',
      RESERVATION_RETENTION_SECONDS: '172800',
      RETENTION_PURGE_INTERVAL_SECONDS: '3600',
      IDEMPOTENCY_RETENTION_SECONDS: '172800',
      IDEMPOTENCY_LEASE_SECONDS: '7',
      TRUST_PROXY: '10.0.0.0/8',
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '600',
      RATE_LIMIT_RESERVE_PER_MINUTE: '30',
      REDIS_URL: 'redis://cache:6379/2',
      RATE_LIMIT_KEY_PREFIX: 'shop1:rl:',
      RESERVATION_MAX_QUANTITY: '1000000000',
      RESERVATION_MAX_PER_CUSTOMER: '2',
      RESERVATION_MAX_TTL_SECONDS: '900',
      ADMIN_API_KEY: ADMIN_KEY,
      CUSTOMER_API_KEY_REQUIRED: 'true',
      METRICS_ENABLED: 'false',
      METRICS_PORT: '9464',
      LOW_STOCK_THRESHOLD: '5',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: '1',
      WEBHOOK_DELIVERY_INTERVAL_SECONDS: '3',
      WEBHOOK_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      corsOrigin: ['https://shop.example.com', 'https://admin.example.com'],
      hstsMaxAgeSeconds: 31_536_000,
      docsEnabled: false,
      logLevels: ['fatal', 'error', 'warn'],
      logFormat: 'json',
      bodyLimitBytes: 2048,
      trustProxy: ['10.0.0.0/8'],
      rateLimit: { enabled: false, perMinute: 600, reservePerMinute: 30, redisUrl: 'redis://cache:6379/2', keyPrefix: 'shop1:rl:' },
      metrics: { enabled: false, port: 9464, host: '127.0.0.1' },
      shutdown: { drainDelayMs: 0, timeoutMs: 500 },
      reservations: {
        ttlSeconds: 60,
        sweepIntervalSeconds: 2,
        sweepBatchSize: 50,
        retentionSeconds: 172_800,
        purgeIntervalSeconds: 3_600,
        maxQuantity: 1_000_000_000,
        maxTtlSeconds: 900,
        maxPerCustomer: 2,
      },
      idempotency: { retentionSeconds: 172_800, leaseSeconds: 7 },
      inventory: { lowStockThreshold: 5 },
      webhooks: { allowHttp: true, allowPrivateNetworks: true, deliveryIntervalSeconds: 3, timeoutMs: 2_500 },
      auth: { adminApiKey: ADMIN_KEY, customerKeyRequired: true },
      database: { kind: 'postgres', url: 'postgres://db/shop', poolMax: 4 },
    });
  });

  it('should read the HTTP server limits', () => {
    expect(loadAppConfig({ REQUEST_TIMEOUT_MS: '5000', KEEP_ALIVE_TIMEOUT_MS: '65000', MAX_CONNECTIONS: '200' }).http).toEqual({
      requestTimeoutMs: 5_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 200,
    });
  });

  it.each([
    ['REQUEST_TIMEOUT_MS', '0'],
    ['KEEP_ALIVE_TIMEOUT_MS', '99'],
    ['MAX_CONNECTIONS', '0'],
  ])('should refuse %s=%s', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(new RegExp(`${name} must be an integer`));
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'xml'],
    ['METRICS_PORT', '65536'],
    ['METRICS_ENABLED', 'yes'],
    ['BODY_LIMIT_BYTES', '10'],
    ['SHUTDOWN_TIMEOUT_MS', '1.5'],
    ['DATABASE_POOL_MAX', '0'],
    ['CORS_ORIGIN', 'shop.example.com'],
    ['CORS_ORIGIN', 'https://shop.example.com/'],
    ['HSTS_MAX_AGE_SECONDS', '-1'],
    ['HSTS_MAX_AGE_SECONDS', '63072001'],
    ['DOCS_ENABLED', 'no'],
    ['RESERVATION_TTL_SECONDS', '0'],
    ['EXPIRY_SWEEP_INTERVAL_SECONDS', '0'],
    ['EXPIRY_SWEEP_INTERVAL_SECONDS', '90'],
    ['RETENTION_PURGE_INTERVAL_SECONDS', '59'],
    ['RETENTION_PURGE_INTERVAL_SECONDS', '5400'],
    ['RETENTION_PURGE_INTERVAL_SECONDS', '172800'],
    ['IDEMPOTENCY_RETENTION_SECONDS', '3600'],
    ['TRUST_PROXY', 'yes'],
    ['RATE_LIMIT_ENABLED', 'maybe'],
    ['RATE_LIMIT_PER_MINUTE', '0'],
    ['RATE_LIMIT_RESERVE_PER_MINUTE', 'ten'],
    ['REDIS_URL', 'http://cache:6379'],
    ['REDIS_URL', 'cache:6379'],
    ['RATE_LIMIT_KEY_PREFIX', 'has space'],
    ['RESERVATION_MAX_QUANTITY', '0'],
    ['RESERVATION_MAX_QUANTITY', '1000000001'],
    ['RESERVATION_MAX_PER_CUSTOMER', '0'],
    ['RESERVATION_MAX_PER_CUSTOMER', '2.5'],
    ['RESERVATION_MAX_PER_CUSTOMER', 'none'],
    ['RESERVATION_MAX_TTL_SECONDS', '0'],
    ['RESERVATION_MAX_TTL_SECONDS', '86401'],
    ['CUSTOMER_API_KEY_REQUIRED', 'yes please'],
    ['DOCS_ENABLED', 'off-ish'],
  ])('should stop on a bad %s (%s), naming the variable', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => loadAppConfig({ [name]: value })).toThrow(name);
  });

  it("should read CORS_ORIGIN '*' as any origin and accept DOCS_ENABLED in any case", () => {
    expect(loadAppConfig({ CORS_ORIGIN: ' * ' }).corsOrigin).toBe('*');
    expect(loadAppConfig({ CORS_ORIGIN: '' }).corsOrigin).toBe(false);
    expect(loadAppConfig({ DOCS_ENABLED: 'TRUE' }).docsEnabled).toBe(true);
    expect(loadAppConfig({ DOCS_ENABLED: 'False' }).docsEnabled).toBe(false);
  });

  it('should leave the per-customer default unset when the variable is empty', () => {
    expect(loadAppConfig({ RESERVATION_MAX_PER_CUSTOMER: ' ' }).reservations.maxPerCustomer).toBeNull();
  });

  it("should accept the original service's MONGODB_URI or DEV_MONGODB_URI when DATABASE_URL is unset", () => {
    expect(loadAppConfig({ DEV_MONGODB_URI: 'mongodb://db/shop' }).database).toEqual({ kind: 'mongo', url: 'mongodb://db/shop' });
    expect(loadAppConfig({ MONGODB_URI: 'mongodb://a/shop', DEV_MONGODB_URI: 'mongodb://b/shop' }).database).toEqual({
      kind: 'mongo',
      url: 'mongodb://a/shop',
    });
    expect(loadAppConfig({ DATABASE_URL: 'postgres://db/shop', MONGODB_URI: 'mongodb://a/shop' }).database.kind).toBe('postgres');
  });

  it('should refuse a METRICS_PORT equal to PORT, unless the metrics are off or either is chosen by the system', () => {
    expect(() => loadAppConfig({ PORT: '9100' })).toThrow('METRICS_PORT must differ from PORT (both 9100)');
    expect(loadAppConfig({ PORT: '9100', METRICS_ENABLED: 'false' }).port).toBe(9100);
    expect(loadAppConfig({ PORT: '0', METRICS_PORT: '0' }).metrics.port).toBe(0);
  });

  it('should refuse a hold retention shorter than the idempotency retention, naming both', () => {
    expect(() => loadAppConfig({ RESERVATION_RETENTION_SECONDS: '3600' })).toThrow(
      'RESERVATION_RETENTION_SECONDS (3600) must be at least IDEMPOTENCY_RETENTION_SECONDS (86400)',
    );
  });

  it('should refuse a TTL above the largest TTL, naming both, and accept one equal to it', () => {
    expect(() => loadAppConfig({ RESERVATION_TTL_SECONDS: '7200' })).toThrow(
      'RESERVATION_TTL_SECONDS (7200) must not exceed RESERVATION_MAX_TTL_SECONDS (3600)',
    );
    expect(() => loadAppConfig({ RESERVATION_TTL_SECONDS: '600', RESERVATION_MAX_TTL_SECONDS: '300' })).toThrow(
      'RESERVATION_TTL_SECONDS (600) must not exceed RESERVATION_MAX_TTL_SECONDS (300)',
    );
    const config = loadAppConfig({ RESERVATION_TTL_SECONDS: '7200', RESERVATION_MAX_TTL_SECONDS: '7200' });
    expect(config.reservations).toMatchObject({ ttlSeconds: 7_200, maxTtlSeconds: 7_200 });
  });

  it('should keep a REDIS_URL password out of the error', () => {
    const problems = (() => {
      try {
        loadAppConfig({ REDIS_URL: 'http://user:hunter2@cache:6379' });
        return [];
      } catch (error) {
        return (error as ConfigValidationError).problems;
      }
    })();
    expect(problems).toEqual([expect.stringContaining('REDIS_URL')]);
    expect(problems[0]).toContain('http://user:***@cache:6379');
  });

  it.each([
    ['too short', 'short-secret-31-characters-long'],
    ['with a space', 'a key with spaces that is long enough to pass'],
    ['with a newline', `${'n'.repeat(40)}\n`],
  ])('should stop on an ADMIN_API_KEY %s, naming the variable but never the value', (_case, value) => {
    expect(() => loadAppConfig({ ADMIN_API_KEY: value })).toThrow(/ADMIN_API_KEY must be/);
    expect(() => loadAppConfig({ ADMIN_API_KEY: value })).not.toThrow(value);
  });

  it('should refuse a low-stock threshold of 0, an odd delivery interval and an unreadable webhook flag', () => {
    expect(() => loadAppConfig({ LOW_STOCK_THRESHOLD: '0', WEBHOOK_DELIVERY_INTERVAL_SECONDS: '90', WEBHOOK_ALLOW_HTTP: 'yes' })).toThrow(
      expect.objectContaining({
        problems: [
          "LOW_STOCK_THRESHOLD must be an integer from 1 to 1000000000 (got '0')",
          "WEBHOOK_ALLOW_HTTP must be true or false (got 'yes')",
          "WEBHOOK_DELIVERY_INTERVAL_SECONDS must be under 60 seconds, or whole minutes under an hour, or whole hours (got '90')",
        ],
      }),
    );
  });

  it('should treat an empty ADMIN_API_KEY as unset', () => {
    expect(loadAppConfig({ ADMIN_API_KEY: '  ' }).auth.adminApiKey).toBeUndefined();
  });

  it('should report every problem at once', () => {
    try {
      loadAppConfig({ PORT: 'x', LOG_LEVEL: 'y', DATABASE_URL: 'redis://secret@h' });
      fail('expected an error');
    } catch (error) {
      expect((error as ConfigValidationError).problems).toHaveLength(3);
      expect((error as Error).message).not.toContain('secret');
    }
  });
});
