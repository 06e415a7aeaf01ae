import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs, untilAborted } from './backoff.js';

describe('backoff', () => {
  it('doubles the wait with every attempt up to the maximum, drawing it from the upper half (jitter)', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
    expect(backoffDelay(20, 100, 10_000, () => 0.5)).toBe(7_500);
  });

  it('reads Retry-After as seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-15T10:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Thu, 15 Jan 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs(undefined, now)).toBeNull();
    expect(retryAfterMs('soon', now)).toBeNull();
  });

  it('stops waiting for work that never ends once the sync is aborted (untilAborted), and otherwise gives its outcome', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => undefined);
    const waiting = untilAborted(never, controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
    await expect(untilAborted(8, controller.signal)).resolves.toBe(8);
  });
});
