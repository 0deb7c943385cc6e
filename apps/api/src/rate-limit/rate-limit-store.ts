import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';
import { IntervalGate } from './interval-gate';
import { RATE_LIMIT_CONFIG } from './rate-limit.tokens';
import type { RateLimitConfig } from './rate-limit.config';
import { redactRedisUrl } from './rate-limit.config';
import { RateLimitStats } from './rate-limit-stats';
import { createRedisClient, waitUntilReady } from './redis-client';

/** A count; `failedOpen` when the store did not answer and the request goes through unchecked (the numbers then mean nothing). */
export type CountResult = Awaited<ReturnType<ThrottlerStorage['increment']>> & { failedOpen?: boolean };

const FAILED_OPEN: CountResult = { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0, failedOpen: true };

const STARTUP_WAIT_MS = 2_000;
const FAILURE_LOG_INTERVAL_MS = 30_000;

/**
 * Where the hits are counted: Redis when REDIS_URL is set (every instance shares the buckets; the library's Lua
 * script makes each count one atomic step), else this process's memory. A Redis that does not answer never fails a
 * request: it is let through, counted in RateLimitStats.failOpenTotal, and logged at most once per 30 seconds.
 */
@Injectable()
export class RateLimitStore implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly failureLog = new IntervalGate(FAILURE_LOG_INTERVAL_MS);
  private readonly redis?: Redis;
  private readonly storage: ThrottlerStorage;
  private readonly memory?: ThrottlerStorageService;
  private closed = false;
  /** A failure was logged since Redis was last ready, so its return is worth a line too. */
  private failing = false;

  constructor(
    @Inject(RATE_LIMIT_CONFIG) private readonly config: RateLimitConfig,
    private readonly stats: RateLimitStats,
  ) {
    if (config.redisUrl) {
      this.redis = createRedisClient(config.redisUrl);
      this.redis.on('error', (error: Error) => this.logFailure(`Redis for rate limits: ${error.message}`));
      this.redis.on('ready', () => this.onReconnected());
      this.storage = new ThrottlerStorageRedisService(this.redis);
    } else {
      this.memory = new ThrottlerStorageService();
      this.storage = this.memory;
    }
  }

  /** False while the configured Redis is not connected (requests then pass unchecked); always true in memory. */
  get isHealthy(): boolean {
    return !this.redis || this.redis.status === 'ready';
  }

  async onModuleInit(): Promise<void> {
    const policies = `${this.config.perMinute}/min per client, ${this.config.reservePerMinute}/min on reserve`;
    if (!this.redis || !this.config.redisUrl) {
      this.logger.log(`Rate limits on (${policies}), counted per process: REDIS_URL is not set, so each instance enforces its own limits`);
      return;
    }
    const where = redactRedisUrl(this.config.redisUrl);
    if (await waitUntilReady(this.redis, STARTUP_WAIT_MS)) {
      this.logger.log(`Rate limits on (${policies}), counted in Redis at ${where}, shared by every instance`);
    } else {
      this.logger.warn(`Rate limits on (${policies}), but Redis at ${where} does not answer: requests pass unchecked until it does`);
    }
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<CountResult> {
    try {
      return await this.storage.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch (error) {
      this.stats.failOpenTotal++;
      this.logFailure(`Rate limit store did not answer (${(error as Error).message}); requests pass unchecked`);
      return FAILED_OPEN;
    }
  }

  onApplicationShutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.redis?.disconnect();
    this.memory?.onApplicationShutdown();
  }

  private logFailure(message: string): void {
    if (this.closed) return;
    this.failing = true;
    const suppressed = this.failureLog.pass();
    if (suppressed === undefined) return;
    this.logger.warn(suppressed > 0 ? `${message} (${suppressed} similar events since the last line)` : message);
  }

  private onReconnected(): void {
    if (!this.failing) return;
    this.failing = false;
    this.failureLog.reset();
    this.logger.log('Redis for rate limits answers again; limits are enforced');
  }
}
