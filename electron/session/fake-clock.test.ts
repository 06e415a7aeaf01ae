import { describe, expect, it } from 'vitest';
import { FAKE_CLOCK_START, FakeClock } from './fake-clock.js';

describe('the fake clock', () => {
  it('runs due tasks in time order, each seeing its own due time', () => {
    const clock = new FakeClock();
    const seen: [string, number][] = [];
    clock.schedule(FAKE_CLOCK_START + 300, () => seen.push(['b', clock.now()]));
    clock.schedule(FAKE_CLOCK_START + 100, () => seen.push(['a', clock.now()]));
    clock.schedule(FAKE_CLOCK_START + 900, () => seen.push(['late', clock.now()]));
    clock.advance(500);
    expect(seen).toEqual([
      ['a', FAKE_CLOCK_START + 100],
      ['b', FAKE_CLOCK_START + 300],
    ]);
    expect(clock.now()).toBe(FAKE_CLOCK_START + 500);
    expect(clock.pendingTasks()).toBe(1);
  });

  it('runs tasks scheduled by tasks when they fall due on the way', () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    clock.schedule(10, () => {
      seen.push(clock.now());
      clock.schedule(20, () => seen.push(clock.now()));
    });
    clock.advance(25);
    expect(seen).toEqual([10, 20]);
  });

  it('does not run a cancelled task, and refuses to go back in time', () => {
    const clock = new FakeClock(0);
    let ran = false;
    const cancel = clock.schedule(5, () => {
      ran = true;
    });
    cancel();
    clock.advance(10);
    expect(ran).toBe(false);
    expect(() => clock.advanceTo(5)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
