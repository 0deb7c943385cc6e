/**
 * The RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers-11 (May 2026; the syntax is
 * unchanged since -08): Structured Field lists whose items are the policy name as a String, with
 * q (quota) and w (window, seconds) on the policy, r (remaining) and t (seconds until the window resets) on the state.
 *   RateLimit-Policy: "general";q=1200;w=60, "reserve";q=120;w=60
 *   RateLimit: "general";r=1173;t=42, "reserve";r=117;t=42
 */
export interface PolicyState {
  name: string;
  quota: number;
  windowSeconds: number;
  /** Unknown while the store is unreachable (the limiter fails open): the policy is still named, its state is not. */
  remaining?: number;
  resetSeconds?: number;
}

export function rateLimitPolicyField(states: readonly PolicyState[]): string {
  return states.map((state) => `"${state.name}";q=${state.quota};w=${state.windowSeconds}`).join(', ');
}

/** Undefined when no policy's state is known. */
export function rateLimitField(states: readonly PolicyState[]): string | undefined {
  const known = states.filter((state) => state.remaining !== undefined && state.resetSeconds !== undefined);
  if (known.length === 0) return undefined;
  return known.map((state) => `"${state.name}";r=${Math.max(0, state.remaining!)};t=${Math.max(0, state.resetSeconds!)}`).join(', ');
}
