/**
 * Lets one event through per interval and counts the ones it held back, so a failing dependency logs a line now and
 * then, not per request.
 */
export class IntervalGate {
  private nextAt = 0;
  private suppressed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The number of events held back since the last one let through, or undefined when this one is held back too. */
  pass(): number | undefined {
    const now = this.now();
    if (now < this.nextAt) {
      this.suppressed++;
      return undefined;
    }
    this.nextAt = now + this.intervalMs;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return suppressed;
  }

  reset(): void {
    this.nextAt = 0;
    this.suppressed = 0;
  }
}
