import { ConfigValidationError, loadAppConfig } from './app-config';

describe(loadAppConfig.name, () => {
  it('should apply the documented defaults', () => {
    expect(loadAppConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      corsOrigin: true,
      logLevels: ['fatal', 'error', 'warn', 'log'],
      logFormat: 'text',
      bodyLimitBytes: 1_048_576,
      shutdown: { drainDelayMs: 5_000, timeoutMs: 15_000 },
      database: { kind: 'pglite', dataDir: './data' },
    });
  });

  it('should read every variable', () => {
    const config = loadAppConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      CORS_ORIGIN: 'https://shop.example.com, https://admin.example.com',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      BODY_LIMIT_BYTES: '2048',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '500',
      DATABASE_URL: 'postgres://db/shop',
      DATABASE_POOL_MAX: '4',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      corsOrigin: ['https://shop.example.com', 'https://admin.example.com'],
      logLevels: ['fatal', 'error', 'warn'],
      logFormat: 'json',
      bodyLimitBytes: 2048,
      shutdown: { drainDelayMs: 0, timeoutMs: 500 },
      database: { kind: 'postgres', url: 'postgres://db/shop', poolMax: 4 },
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'xml'],
    ['BODY_LIMIT_BYTES', '10'],
    ['SHUTDOWN_TIMEOUT_MS', '1.5'],
    ['DATABASE_POOL_MAX', '0'],
    ['CORS_ORIGIN', 'shop.example.com'],
  ])('should stop on a bad %s (%s), naming the variable', (name, value) => {
    expect(() => loadAppConfig({ [name]: value })).toThrow(ConfigValidationError);
    expect(() => loadAppConfig({ [name]: value })).toThrow(name);
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
