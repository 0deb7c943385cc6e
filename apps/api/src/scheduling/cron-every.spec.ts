import { CronTime } from 'cron';
import { cronEvery } from './cron-every';

describe(cronEvery.name, () => {
  it.each([
    [1, '*/1 * * * * *'],
    [5, '*/5 * * * * *'],
    [7, '*/7 * * * * *'],
    [60, '0 */1 * * * *'],
    [600, '0 */10 * * * *'],
    [3_600, '0 0 */1 * * *'],
    [21_600, '0 0 */6 * * *'],
    [86_400, '0 0 */24 * * *'],
  ])('should express every %i s as %s', (seconds, expression) => {
    expect(cronEvery(seconds)).toBe(expression);
  });

  it.each([0, 1.5, 90, 3_660, 5_400, 90_000])('should refuse %s s, which no single cron step expresses', (seconds) => {
    expect(cronEvery(seconds)).toBeUndefined();
  });

  /** Milliseconds between the next `count` firings of the expression. */
  const gaps = (expression: string, count: number) => {
    const times = new CronTime(expression, 'UTC').sendAt(count).map((date) => date.toMillis());
    return times.slice(1).map((time, i) => time - times[i]);
  };

  it('should fire at even gaps when the step divides its field', () => {
    expect(new Set(gaps(cronEvery(5)!, 13))).toEqual(new Set([5_000]));
    expect(new Set(gaps(cronEvery(600)!, 7))).toEqual(new Set([600_000]));
    expect(new Set(gaps(cronEvery(86_400)!, 3))).toEqual(new Set([86_400_000]));
  });

  it('should restart a 7 s step at each minute, so runs come at most 7 s apart', () => {
    // :00, :07, ... :56, then :00 again 4 s later.
    expect(new Set(gaps(cronEvery(7)!, 20))).toEqual(new Set([7_000, 4_000]));
  });
});
