import { Injectable } from '@nestjs/common';

export type RateLimitPolicyName = 'general' | 'reserve';

/** Counters the metrics endpoint reads; plain numbers so nothing here depends on a metrics library. */
@Injectable()
export class RateLimitStats {
  /** Requests answered 429, by the policy that refused them. */
  readonly rejectedTotal: Record<RateLimitPolicyName, number> = { general: 0, reserve: 0 };
  /** Of those, requests to a reserve-class route (by either policy): the reservations' `rate_limited` outcome. */
  rejectedReserveClassTotal = 0;
  /** Requests let through unchecked because the shared store did not answer. */
  failOpenTotal = 0;
}
