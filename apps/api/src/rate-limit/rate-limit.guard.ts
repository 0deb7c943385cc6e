import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerException,
  ThrottlerGuard,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { isLimitedRoute, isReserveClassRoute, RoutedRequest } from './limited-routes';
import { PolicyState, rateLimitField, rateLimitPolicyField } from './rate-limit-headers';
import { RateLimitPolicyName, RateLimitStats } from './rate-limit-stats';
import { CountResult } from './rate-limit-store';

interface HeaderReply {
  header(name: string, value: string | number): unknown;
}

/**
 * @nestjs/throttler's guard, answering with the IETF RateLimit fields instead of its X-RateLimit-* ones (their names
 * and format differ from the draft's). Each policy that applies to a request adds its state to both fields.
 * A global guard: it runs after any guard registered before it, so the authentication step can set `apiKeyId` first.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** The states of the policies already checked for a request, so the fields list them all. */
  private readonly states = new WeakMap<object, PolicyState[]>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly stats: RateLimitStats,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(context.getType() !== 'http' || !isLimitedRoute(context.switchToHttp().getRequest<RoutedRequest>()));
  }

  protected override async handleRequest({
    context,
    limit,
    ttl,
    throttler,
    blockDuration,
    getTracker,
    generateKey,
  }: ThrottlerRequest): Promise<boolean> {
    const { req, res } = this.getRequestResponse(context) as { req: RoutedRequest; res: HeaderReply };
    const name = throttler.name as RateLimitPolicyName;
    const key = generateKey(context, await getTracker(req, context), name);
    const count: CountResult = await this.storageService.increment(key, ttl, limit, blockDuration, name);

    const state: PolicyState = { name, quota: limit, windowSeconds: Math.ceil(ttl / 1000) };
    if (!count.failedOpen) {
      state.remaining = limit - count.totalHits;
      state.resetSeconds = count.isBlocked ? count.timeToBlockExpire : count.timeToExpire;
    }
    const states = [...(this.states.get(req) ?? []), state];
    this.states.set(req, states);
    res.header('RateLimit-Policy', rateLimitPolicyField(states));
    const current = rateLimitField(states);
    if (current !== undefined) res.header('RateLimit', current);

    if (count.failedOpen || !count.isBlocked) return true;
    const retryAfter = Math.max(1, count.timeToBlockExpire);
    res.header('Retry-After', retryAfter);
    this.stats.rejectedTotal[name]++;
    if (isReserveClassRoute(req)) this.stats.rejectedReserveClassTotal++;
    const what = name === 'reserve' ? 'reserve requests' : 'requests';
    throw new ThrottlerException(`Too many ${what}: the limit is ${limit} per minute per client; retry in ${retryAfter} seconds`);
  }
}
