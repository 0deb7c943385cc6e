import { Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorResult } from '@nestjs/terminus';
import { RateLimitStore } from './rate-limit-store';

/**
 * For /health/ready's details only: always `up` (so it never makes the instance not-ready, since requests still pass
 * while Redis is away), with `degraded: true` while the shared store does not answer and limits fail open.
 */
@Injectable()
export class RateLimitStoreHealth {
  constructor(@Optional() private readonly store?: RateLimitStore) {}

  check(key = 'rateLimitStore'): HealthIndicatorResult {
    return { [key]: this.store && !this.store.isHealthy ? { status: 'up', degraded: true } : { status: 'up' } };
  }
}
