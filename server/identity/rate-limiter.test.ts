import { describe, expect, it } from 'vitest';
import { DeviceRateLimiter } from './rate-limiter.js';

describe('per-device rate limit', () => {
  it('allows a burst of 200, then one request per 20 ms (50/s), and says when to retry', () => {
    let t = 0;
    const limiter = new DeviceRateLimiter({ nowMs: () => t });
    for (let i = 0; i < 200; i++) expect(limiter.take('dev-A').allowed).toBe(true);
    expect(limiter.take('dev-A')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    t += 20;
    expect(limiter.take('dev-A').allowed).toBe(true);
    expect(limiter.take('dev-A').allowed).toBe(false);
  });

  it("keeps each device's bucket apart", () => {
    const limiter = new DeviceRateLimiter({ burst: 1, sustainedPerSecond: 1, nowMs: () => 0 });
    expect(limiter.take('dev-A').allowed).toBe(true);
    expect(limiter.take('dev-A').allowed).toBe(false);
    expect(limiter.take('dev-B').allowed).toBe(true);
  });

  it('never limits a device polling at 3 requests a second (the 1,000-workstation benchmark)', () => {
    let t = 0;
    const limiter = new DeviceRateLimiter({ nowMs: () => t });
    for (let i = 0; i < 3 * 3600; i++) {
      t += 1000 / 3;
      expect(limiter.take('dev-A').allowed).toBe(true);
    }
  });

  it('rounds Retry-After up to whole seconds for slow rates', () => {
    const limiter = new DeviceRateLimiter({ burst: 1, sustainedPerSecond: 0.2, nowMs: () => 0 });
    limiter.take('dev-A');
    expect(limiter.take('dev-A')).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });
});
