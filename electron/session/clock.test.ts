import { afterEach, describe, expect, it, vi } from 'vitest';
import { SystemClock } from './clock.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the system clock', () => {
  it('follows the wall clock forward (time spent suspended counts)', () => {
    const wall = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const clock = new SystemClock();
    wall.mockReturnValue(1_000_000 + 3_600_000);
    expect(clock.now()).toBeGreaterThanOrEqual(1_000_000 + 3_600_000);
  });

  it('never runs backwards when the wall clock is set back', () => {
    const wall = vi.spyOn(Date, 'now').mockReturnValue(5_000_000);
    const clock = new SystemClock();
    const before = clock.now();
    wall.mockReturnValue(5_000_000 - 3_600_000);
    expect(clock.now()).toBeGreaterThanOrEqual(before);
  });
});

describe('the system clock, as stored', () => {
  it('gives whole milliseconds even when the monotonic clock runs ahead of the wall clock', () => {
    const wall = vi.spyOn(Date, 'now').mockReturnValue(7_000_000);
    const mono = vi.spyOn(performance, 'now').mockReturnValue(1_000.25);
    const clock = new SystemClock();
    mono.mockReturnValue(5_000.5);
    wall.mockReturnValue(6_000_000);
    expect(Number.isInteger(clock.now())).toBe(true);
  });
});
