import { DynamicModule, Global, Inject, Logger, Module, OnModuleInit } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerModuleOptions } from '@nestjs/throttler';
import { clientIdentity, IdentifiableRequest } from './client-identity';
import { isReserveClassRoute, RoutedRequest } from './limited-routes';
import type { RateLimitConfig } from './rate-limit.config';
import { RateLimitGuard } from './rate-limit.guard';
import { RATE_LIMIT_CONFIG } from './rate-limit.tokens';
import { RateLimitStats } from './rate-limit-stats';
import { RateLimitStore } from './rate-limit-store';
import { RateLimitStoreHealth } from './rate-limit-store.health';

const WINDOW_MS = 60_000;

@Module({})
class RateLimitStoreModule {}

/**
 * Per-client limits on every /api/v1 route ("general") and a tighter one on the reserve-class routes ("reserve"),
 * through @nestjs/throttler. Global, so health and metrics can read RateLimitStoreHealth and RateLimitStats.
 */
@Global()
@Module({})
export class RateLimitModule implements OnModuleInit {
  constructor(@Inject(RATE_LIMIT_CONFIG) private readonly config: RateLimitConfig) {}

  static forRoot(config: RateLimitConfig): DynamicModule {
    const configProvider = { provide: RATE_LIMIT_CONFIG, useValue: config };
    if (!config.enabled) {
      return {
        module: RateLimitModule,
        providers: [configProvider, RateLimitStats, RateLimitStoreHealth],
        exports: [RateLimitStats, RateLimitStoreHealth],
      };
    }
    const store: DynamicModule = {
      module: RateLimitStoreModule,
      providers: [configProvider, RateLimitStats, RateLimitStore],
      exports: [RATE_LIMIT_CONFIG, RateLimitStats, RateLimitStore],
    };
    return {
      module: RateLimitModule,
      imports: [
        store,
        ThrottlerModule.forRootAsync({
          imports: [store],
          inject: [RateLimitStore],
          useFactory: (counts: RateLimitStore) => throttlerOptions(config, counts),
        }),
      ],
      providers: [RateLimitStoreHealth, { provide: APP_GUARD, useClass: RateLimitGuard }],
      exports: [store, RateLimitStoreHealth],
    };
  }

  onModuleInit(): void {
    if (!this.config.enabled) new Logger('RateLimit').log('Rate limits off (RATE_LIMIT_ENABLED=false)');
  }
}

function throttlerOptions(config: RateLimitConfig, store: RateLimitStore): ThrottlerModuleOptions {
  return {
    throttlers: [
      { name: 'general', limit: config.perMinute, ttl: WINDOW_MS },
      {
        name: 'reserve',
        limit: config.reservePerMinute,
        ttl: WINDOW_MS,
        skipIf: (context) => !isReserveClassRoute(context.switchToHttp().getRequest<RoutedRequest>()),
      },
    ],
    // A plain object, not the store itself, so Nest does not run the store's lifecycle hooks a second time.
    storage: { increment: (...args) => store.increment(...args) },
    setHeaders: false,
    getTracker: (request) => clientIdentity(request as IdentifiableRequest),
    // One bucket per policy and client, across routes. The name is in the key because the in-memory storage keeps
    // one blocked flag per key: sharing a key, a client refused by the reserve policy would be refused everywhere.
    generateKey: (_context, tracker, name) => `${config.keyPrefix}${name}:${tracker}`,
  };
}
