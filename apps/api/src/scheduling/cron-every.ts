/**
 * The six-field cron expression (seconds first, as the `cron` package behind @nestjs/schedule reads it) for
 * "every `seconds`": a step in the seconds field under a minute, in the minutes field for whole minutes under an
 * hour, in the hours field for whole hours up to a day. Undefined for any other interval (say 90 s), which no
 * single cron step expresses.
 *
 * A step restarts at its field's boundary: every 7 s fires at :00, :07, ... :56 and again at :00, 4 s later.
 * Runs are never further apart than the interval; once a minute (hour, day) two may come closer together.
 */
export function cronEvery(seconds: number): string | undefined {
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 86_400) return undefined;
  if (seconds < 60) return `*/${seconds} * * * * *`;
  if (seconds < 3_600) return seconds % 60 === 0 ? `0 */${seconds / 60} * * * *` : undefined;
  return seconds % 3_600 === 0 ? `0 0 */${seconds / 3_600} * * *` : undefined;
}
