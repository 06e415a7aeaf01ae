// When to sync: at start, then every interval; soon after a local write; after a failure, later and
// later (exponential backoff with jitter, up to a maximum) while the hub stays unreachable. Never
// two cycles at once: a request while one runs is remembered and served right after it.
import type { Logger } from 'pino';
import { backoffDelay } from './backoff.js';
import { isSyncError } from './sync-error.js';

export interface SyncSchedulerOptions {
  readonly sync: () => Promise<unknown>;
  readonly intervalMs: number;
  readonly offlineBackoffMaxMs: number;
  readonly logger: Logger;
  readonly random: () => number;
  /** Delay between a local write and its sync (writes in quick succession share one). */
  readonly afterWriteMs?: number;
}

const DEFAULT_AFTER_WRITE_MS = 250;

export class SyncScheduler {
  readonly #o: SyncSchedulerOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #failures = 0;
  #stopped = false;

  constructor(options: SyncSchedulerOptions) {
    this.#o = options;
  }

  /** Consecutive failed cycles (0 after a success). */
  get failures(): number {
    return this.#failures;
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(0);
  }

  /** A local write happened: sync soon, without waiting for the interval or a backoff. */
  requestSync(): void {
    if (this.#stopped) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    this.#schedule(this.#o.afterWriteMs ?? DEFAULT_AFTER_WRITE_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#run();
    }, delayMs);
    this.#timer.unref?.();
  }

  #run(): void {
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    this.#again = false;
    this.#running = this.#o
      .sync()
      .then(
        () => {
          this.#failures = 0;
          return null;
        },
        (error: unknown) => {
          if (!isSyncError(error, 'SYNC_BUSY')) this.#failures += 1;
          return { code: (error as { code?: unknown }).code };
        },
      )
      .then((failed) => {
        this.#running = null;
        const delay = this.#again ? 0 : this.#nextDelay();
        if (failed !== null) {
          this.#o.logger.debug(
            { event: 'sync.scheduled_failed', failures: this.#failures, code: failed.code, nextInMs: delay },
            'scheduled sync failed',
          );
        }
        this.#schedule(delay);
      });
  }

  #nextDelay(): number {
    const { intervalMs, offlineBackoffMaxMs, random } = this.#o;
    if (this.#failures === 0) return intervalMs;
    return Math.max(intervalMs / 2, backoffDelay(this.#failures, intervalMs, offlineBackoffMaxMs, random));
  }
}
