// Per-device request rate limit: a token bucket per device id, in this hub process's memory.
//
// Defaults: 50 requests/s sustained, bursts of 200. A workstation polling at ~3 requests/s (the
// benchmark: 1,000 devices) never comes near it; a runaway sync loop or a stolen token is slowed to
// 50/s. With several hub processes behind a load balancer each keeps its own buckets, so the
// effective limit is per process — acceptable for a guard against runaway clients.
// Time comes from a monotonic clock (not the hub's injectable wall clock): a frozen test clock must
// not starve a device.

export interface RateLimitOptions {
  readonly sustainedPerSecond?: number;
  readonly burst?: number;
  /** Milliseconds from a monotonic source; performance.now() by default. */
  readonly nowMs?: () => number;
}

export type RateDecision = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedMs: number;
}

const SWEEP_ABOVE = 10_000;

export class DeviceRateLimiter {
  readonly sustainedPerSecond: number;
  readonly burst: number;
  private readonly nowMs: () => number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: RateLimitOptions = {}) {
    this.sustainedPerSecond = options.sustainedPerSecond ?? 50;
    this.burst = options.burst ?? 200;
    this.nowMs = options.nowMs ?? (() => performance.now());
    if (!(this.sustainedPerSecond > 0 && this.burst >= 1))
      throw new RangeError('A rate limit needs a positive rate and a burst of at least 1.');
  }

  /** Takes one request's token from `deviceId`'s bucket. */
  take(deviceId: string): RateDecision {
    const now = this.nowMs();
    let bucket = this.buckets.get(deviceId);
    if (bucket === undefined) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      bucket = { tokens: this.burst, updatedMs: now };
      this.buckets.set(deviceId, bucket);
    } else {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.updatedMs) / 1000) * this.sustainedPerSecond);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.sustainedPerSecond)) };
  }

  /** Forgets buckets that have refilled completely (their devices are idle). */
  private sweep(now: number): void {
    const refillMs = (this.burst / this.sustainedPerSecond) * 1000;
    for (const [id, bucket] of this.buckets) {
      if (now - bucket.updatedMs >= refillMs) this.buckets.delete(id);
    }
  }
}
