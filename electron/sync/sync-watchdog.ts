// The sync watchdog: tells whether the sync loop still does its job, from what cycles do rather
// than from whether the hub answers. Sync has stopped when, for longer than the policy allows
// (stoppedAfterMs): a cycle has been running without finishing (a hung request, a stuck step); or
// no cycle has succeeded although the workstation believes it is online (cycles failing before
// they reach the hub, e.g. on a data folder replaced under the host); or no cycle has started at
// all (the scheduler stopped cycling; while offline, its longest backoff is allowed on top).
// Pure bookkeeping over a clock: the sync engine feeds it and acts on its verdict.
import type { SyncStopReason } from '../../shared/contract/index.js';
import type { ConnectivityState } from './connectivity.js';

export interface SyncWatchdogOptions {
  /** How long sync may go without doing its job before it counts as stopped. */
  readonly stoppedAfterMs: number;
  /** The scheduler's longest wait between cycles while the hub is unreachable. */
  readonly offlineBackoffMaxMs: number;
  /** Epoch ms. */
  readonly now: () => number;
}

export class SyncWatchdog {
  readonly #o: SyncWatchdogOptions;
  #cycleQuietSince: number | null = null;
  #lastActivity: number;
  #lastSuccess: number;

  constructor(options: SyncWatchdogOptions) {
    this.#o = options;
    const now = options.now();
    this.#lastActivity = now;
    this.#lastSuccess = now;
  }

  cycleStarted(): void {
    const now = this.#o.now();
    this.#cycleQuietSince = now;
    this.#lastActivity = now;
  }

  /** The running cycle heard from the hub: it is slow, perhaps, but not hung. */
  progressed(): void {
    const now = this.#o.now();
    if (this.#cycleQuietSince !== null) this.#cycleQuietSince = now;
    this.#lastActivity = now;
  }

  cycleEnded(ok: boolean): void {
    const now = this.#o.now();
    this.#cycleQuietSince = null;
    this.#lastActivity = now;
    if (ok) this.#lastSuccess = now;
  }

  /** The loop was restarted: the clocks start again (a stop is reported once per period). */
  restarted(): void {
    const now = this.#o.now();
    this.#lastActivity = now;
    this.#lastSuccess = now;
    if (this.#cycleQuietSince !== null) this.#cycleQuietSince = now;
  }

  /** Why sync has stopped, as of now and `state` (the connectivity the host believes in), or null. */
  check(state: ConnectivityState): SyncStopReason | null {
    const { stoppedAfterMs, offlineBackoffMaxMs } = this.#o;
    const now = this.#o.now();
    if (this.#cycleQuietSince !== null) return now - this.#cycleQuietSince > stoppedAfterMs ? 'cycle-hung' : null;
    const believesOnline = state === 'online' || state === 'degraded';
    if (now - this.#lastActivity > stoppedAfterMs + (believesOnline ? 0 : offlineBackoffMaxMs)) return 'not-cycling';
    if (believesOnline && now - this.#lastSuccess > stoppedAfterMs) return 'no-cycle-succeeded';
    return null;
  }
}
