import { rateLimitField, rateLimitPolicyField } from './rate-limit-headers';

describe('RateLimit header fields', () => {
  const general = { name: 'general', quota: 1200, windowSeconds: 60, remaining: 1173, resetSeconds: 42 };
  const reserve = { name: 'reserve', quota: 120, windowSeconds: 60, remaining: 117, resetSeconds: 42 };

  it('should list every policy with its quota and window', () => {
    expect(rateLimitPolicyField([general])).toBe('"general";q=1200;w=60');
    expect(rateLimitPolicyField([general, reserve])).toBe('"general";q=1200;w=60, "reserve";q=120;w=60');
  });

  it('should list every known state with what remains and when it resets, never below zero', () => {
    expect(rateLimitField([general, reserve])).toBe('"general";r=1173;t=42, "reserve";r=117;t=42');
    expect(rateLimitField([{ ...general, remaining: -3 }])).toBe('"general";r=0;t=42');
  });

  it('should leave out states that are unknown', () => {
    const unknown = { name: 'general', quota: 1200, windowSeconds: 60 };
    expect(rateLimitField([unknown])).toBeUndefined();
    expect(rateLimitField([unknown, reserve])).toBe('"reserve";r=117;t=42');
  });
});
