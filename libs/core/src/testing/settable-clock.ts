import { Clock } from '../time/clock';

/** A clock tests move by hand. */
export class SettableClock extends Clock {
  constructor(private current: Date = new Date('2026-01-06T10:00:00.000Z')) {
    super();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date): void {
    this.current = new Date(to);
  }

  advanceSeconds(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}
