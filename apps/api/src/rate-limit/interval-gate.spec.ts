import { IntervalGate } from './interval-gate';

describe(IntervalGate.name, () => {
  it('should let one event through per interval and report how many it held back', () => {
    let now = 1_000;
    const gate = new IntervalGate(30_000, () => now);
    expect(gate.pass()).toBe(0);
    expect(gate.pass()).toBeUndefined();
    now += 29_999;
    expect(gate.pass()).toBeUndefined();
    now += 1;
    expect(gate.pass()).toBe(2);
    expect(gate.pass()).toBeUndefined();
  });

  it('should open again at once after a reset', () => {
    const gate = new IntervalGate(30_000, () => 5);
    gate.pass();
    gate.reset();
    expect(gate.pass()).toBe(0);
  });
});
