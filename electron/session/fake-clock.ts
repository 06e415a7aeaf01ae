// A clock and scheduler that only move when a test (or the CLI's scripted demo) says so. Any room
// whose logic depends on time can take it through the Clock and Scheduler ports.
import type { CancelTask, Clock, Scheduler } from './clock.js';

interface PendingTask {
  readonly at: number;
  readonly seq: number;
  readonly task: () => void;
}

/** Monday 6 January 2025, 08:00 UTC: the start of a day shift. */
export const FAKE_CLOCK_START = Date.UTC(2025, 0, 6, 8, 0, 0);

export class FakeClock implements Clock, Scheduler {
  private current: number;
  private seq = 0;
  private pending: PendingTask[] = [];

  constructor(start: number = FAKE_CLOCK_START) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(at: number, task: () => void): CancelTask {
    const entry: PendingTask = { at, seq: this.seq++, task };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /**
   * Moves time forward by `ms`, running every task that falls due on the way in time order, each
   * with the clock set to its due time (so a timer sees the time it was set for, as a real one
   * would at best). Tasks scheduled by tasks run too if they fall due before the target.
   */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('FakeClock.advance needs a finite, non-negative number of ms');
    this.runUntil(this.current + ms);
  }

  /** Moves time forward to `at` (epoch ms), like advance. */
  advanceTo(at: number): void {
    if (at < this.current) throw new RangeError('FakeClock cannot go back in time');
    this.runUntil(at);
  }

  /** Number of tasks waiting to run. */
  pendingTasks(): number {
    return this.pending.length;
  }

  private runUntil(target: number): void {
    for (;;) {
      const next = this.nextDue(target);
      if (next === undefined) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.current = Math.max(this.current, next.at);
      next.task();
    }
    this.current = target;
  }

  private nextDue(target: number): PendingTask | undefined {
    let best: PendingTask | undefined;
    for (const p of this.pending) {
      if (p.at > target) continue;
      if (best === undefined || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    return best;
  }
}
