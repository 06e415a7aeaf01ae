import { describe, expect, it } from 'vitest';
import { activityThrottle } from './activity-throttle.js';

describe('activity reporting', () => {
  it('reports the first activity at once, then at most once per 30 seconds', () => {
    const shouldSend = activityThrottle(30_000);
    expect(shouldSend(1_000)).toBe(true);
    expect(shouldSend(2_000)).toBe(false);
    expect(shouldSend(30_999)).toBe(false);
    expect(shouldSend(31_000)).toBe(true);
    expect(shouldSend(40_000)).toBe(false);
  });

  it('reports again when the clock went backwards rather than going silent', () => {
    const shouldSend = activityThrottle(30_000);
    expect(shouldSend(100_000)).toBe(true);
    expect(shouldSend(50_000)).toBe(true);
  });
});
