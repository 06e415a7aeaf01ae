import { describe, expect, it } from 'vitest';
import { activityInterval, activityThrottle } from './activity-throttle.js';

const signedInAt = 1_750_000_000_000;
const session = (idleTimeoutMs: number | null): { idleDeadline: number | null; lastActivityAt: number } => ({
  lastActivityAt: signedInAt,
  idleDeadline: idleTimeoutMs === null ? null : signedInAt + idleTimeoutMs,
});

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

  it('reports every 30 seconds under the usual 5-minute idle lock', () => {
    expect(activityInterval(session(5 * 60_000))).toBe(30_000);
  });

  it('reports four times per idle timeout when the timeout is short, so a working user is never locked', () => {
    expect(activityInterval(session(20_000))).toBe(5_000);
    expect(activityInterval(session(45_000))).toBe(11_250);
    // typing through a 20 s idle lock: a report at least every 5 s, each moving the lock 20 s later
    const shouldSend = activityThrottle(activityInterval(session(20_000)));
    const reported = Array.from({ length: 60 }, (_, second) => second * 1_000).filter((at) => shouldSend(at));
    const longestSilence = Math.max(...reported.slice(1).map((at, i) => at - reported[i]!));
    expect(longestSilence).toBeLessThan(20_000);
  });

  it('falls back to 30 seconds without an idle deadline, and never reports more than once a second', () => {
    expect(activityInterval(session(null))).toBe(30_000);
    expect(activityInterval(session(0))).toBe(30_000);
    expect(activityInterval(session(2_000))).toBe(1_000);
  });
});
