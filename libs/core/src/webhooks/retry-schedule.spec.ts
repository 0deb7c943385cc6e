import { nextAttemptAt, RETRY_DELAYS_SECONDS } from './retry-schedule';

describe(nextAttemptAt.name, () => {
  const now = new Date('2026-01-06T10:00:00.000Z');
  const secondsAfterNow = (date: Date | null) => (date!.getTime() - now.getTime()) / 1000;

  it('should wait the scheduled delay after each try when the jitter is neutral', () => {
    expect(secondsAfterNow(nextAttemptAt(1, now, 0.5))).toBe(5);
    expect(secondsAfterNow(nextAttemptAt(2, now, 0.5))).toBe(30);
    expect(secondsAfterNow(nextAttemptAt(RETRY_DELAYS_SECONDS.length, now, 0.5))).toBe(28_800);
  });

  it('should grow the delay from try to try', () => {
    const delays = RETRY_DELAYS_SECONDS.map((_, index) => secondsAfterNow(nextAttemptAt(index + 1, now, 0.5)));
    for (let index = 1; index < delays.length; index++) expect(delays[index]).toBeGreaterThanOrEqual(delays[index - 1]);
  });

  it('should jitter within 20 % either way', () => {
    expect(secondsAfterNow(nextAttemptAt(3, now, 0))).toBe(96);
    const longest = secondsAfterNow(nextAttemptAt(3, now, 0.999_999));
    expect(longest).toBeLessThan(144);
    expect(longest).toBeGreaterThan(143.9);
  });

  it('should retry for about a day in all, then give up', () => {
    const total = RETRY_DELAYS_SECONDS.reduce((sum, delay) => sum + delay, 0);
    expect(total / 3600).toBeGreaterThan(20);
    expect(total / 3600).toBeLessThan(30);
    expect(nextAttemptAt(RETRY_DELAYS_SECONDS.length + 1, now, 0.5)).toBeNull();
  });

  it('should follow a shortened schedule when one is given (tests), giving up after its last delay', () => {
    expect(secondsAfterNow(nextAttemptAt(1, now, 0.5, [0, 2]))).toBe(0);
    expect(secondsAfterNow(nextAttemptAt(2, now, 0.5, [0, 2]))).toBe(2);
    expect(nextAttemptAt(3, now, 0.5, [0, 2])).toBeNull();
  });
});
