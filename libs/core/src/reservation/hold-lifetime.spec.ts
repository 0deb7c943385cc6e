import { DEFAULT_MAX_TTL_SECONDS, extendedExpiry, withinLifetime } from './hold-lifetime';

describe('hold lifetime', () => {
  const createdAt = new Date('2026-01-06T10:00:00.000Z');
  const at = (seconds: number) => new Date(createdAt.getTime() + seconds * 1000);

  it('should default the longest life to an hour', () => {
    expect(DEFAULT_MAX_TTL_SECONDS).toBe(3600);
  });

  it(`${extendedExpiry.name} should count from the current expiry, not from now`, () => {
    expect(extendedExpiry({ expiresAt: at(300) }, 120)).toEqual(at(420));
    expect(extendedExpiry({ expiresAt: at(420) }, 1)).toEqual(at(421));
  });

  it(`${withinLifetime.name} should allow an expiry up to exactly the limit after creation, and no later`, () => {
    expect(withinLifetime({ createdAt }, at(3600), 3600)).toBe(true);
    expect(withinLifetime({ createdAt }, at(3599), 3600)).toBe(true);
    expect(withinLifetime({ createdAt }, new Date(at(3600).getTime() + 1), 3600)).toBe(false);
    expect(withinLifetime({ createdAt }, at(601), 600)).toBe(false);
  });
});
