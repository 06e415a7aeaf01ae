// The Clock port (epoch milliseconds) and the Scheduler port (run a task at a given time), with
// the real adapters. Tests and the CLI use FakeClock (fake-clock.ts), which is both.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** Cancels a scheduled task; calling it again, or after the task ran, does nothing. */
export type CancelTask = () => void;

export interface Scheduler {
  /** Runs `task` once, at or soon after `at` (epoch ms); at once when `at` has passed. */
  schedule(at: number, task: () => void): CancelTask;
}

/**
 * The workstation's clock for session deadlines. It follows the wall clock forward (so time spent
 * suspended counts, and a session locked at suspend expires on time) but never runs backwards: if
 * the wall clock is set back (NTP step, a user changing the time), it keeps counting with the
 * monotonic clock from the last wall time it saw, so moving the clock back never extends a session.
 */
export class SystemClock implements Clock {
  private anchorWall = Date.now();
  private anchorMono = performance.now();
  private last = this.anchorWall;

  now(): number {
    const wall = Date.now();
    const mono = this.anchorWall + (performance.now() - this.anchorMono);
    if (wall >= mono) {
      this.anchorWall = wall;
      this.anchorMono = performance.now();
    }
    // Whole milliseconds: the monotonic clock is fractional, and times are stored as integers.
    this.last = Math.max(this.last, wall, Math.floor(mono));
    return this.last;
  }
}

/** Node's longest setTimeout delay (about 24.8 days); longer waits are chained. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** A Scheduler on setTimeout, reading time from `clock`. Timers do not keep the process alive. */
export function timerScheduler(clock: Clock): Scheduler {
  return {
    schedule(at: number, task: () => void): CancelTask {
      let handle: NodeJS.Timeout | undefined;
      let cancelled = false;
      const arm = (): void => {
        const delay = at - clock.now();
        if (delay > MAX_TIMER_DELAY_MS) {
          handle = setTimeout(arm, MAX_TIMER_DELAY_MS);
        } else {
          handle = setTimeout(
            () => {
              if (!cancelled) task();
            },
            Math.max(0, delay),
          );
        }
        handle.unref();
      };
      arm();
      return () => {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      };
    },
  };
}
