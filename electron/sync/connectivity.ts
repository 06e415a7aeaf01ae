// How the hub looks from here, decided by what requests experience, without user action:
//   online    requests succeed, promptly
//   degraded  requests succeed, but slowly or after errors (within the last minute), until a whole
//             sync cycle succeeds without trouble (see cycleSucceeded)
//   offline   the hub cannot be reached (no connection, or its certificate failed the pin)
//   hub-down  the hub is reached but fails (5xx, stalls, broken answers)
// (How stale cached data is: shared/staleness.)

export type ConnectivityState = 'online' | 'degraded' | 'offline' | 'hub-down';

/** Whether documentation made now is "downtime documentation" (it then carries a Provenance). */
export function isDowntime(state: ConnectivityState): boolean {
  return state === 'offline' || state === 'hub-down';
}

export interface ConnectivityChange {
  readonly state: ConnectivityState;
  readonly previous: ConnectivityState;
  /** The error code that caused a change to offline/hub-down/degraded, if any. */
  readonly code: string | null;
  readonly at: string;
}

/** Trouble (a slow answer, a retried or failed request) keeps the connection degraded this long. */
export const TROUBLE_WINDOW_MS = 60_000;

export class ConnectivityMonitor {
  #state: ConnectivityState;
  #lastTroubleMs = Number.NEGATIVE_INFINITY;
  /** When a clean cycle last ended trouble early (cycleSucceeded), so a flapping hub gets it once a window. */
  #lastRecoveryMs = Number.NEGATIVE_INFINITY;
  #lastCode: string | null = null;
  readonly #slowMs: number;
  readonly #now: () => number;
  readonly #listeners = new Set<(change: ConnectivityChange) => void>();

  constructor(options: { initial: ConnectivityState; slowResponseMs: number; now: () => number }) {
    this.#state = options.initial;
    this.#slowMs = options.slowResponseMs;
    this.#now = options.now;
  }

  get state(): ConnectivityState {
    return this.#state;
  }

  /** The code of the last problem seen (kept after recovery, for status). */
  get lastProblem(): string | null {
    return this.#lastCode;
  }

  onChange(listener: (change: ConnectivityChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A request was answered (any status the hub meant: 2xx, or a 4xx about the request itself). */
  answered(firstByteMs: number): void {
    const now = this.#now();
    const troubled = firstByteMs > this.#slowMs || now - this.#lastTroubleMs < TROUBLE_WINDOW_MS;
    if (firstByteMs > this.#slowMs) this.#lastTroubleMs = now;
    this.#set(troubled ? 'degraded' : 'online', troubled ? this.#lastCode : null);
  }

  /**
   * A whole sync cycle that started at `startedMs` succeeded. When nothing went wrong since it started
   * (no slow answer, no retried or failed request), the hub serves this workstation fully again, so the
   * trouble ends now rather than when the window runs out: the state is online. Once a window only:
   * after such a recovery, trouble that comes back within the window is waited out in full, so a hub
   * that fails every other cycle does not flip the banner between "Online" and "Connection problems".
   */
  cycleSucceeded(startedMs: number): void {
    const now = this.#now();
    if (this.#state === 'online' || this.#lastTroubleMs >= startedMs) return;
    if (now - this.#lastRecoveryMs < TROUBLE_WINDOW_MS) return;
    this.#lastRecoveryMs = now;
    this.#lastTroubleMs = Number.NEGATIVE_INFINITY;
    this.#set('online', null);
  }

  /** A request failed and will be retried: an online connection is now degraded. */
  hiccup(code: string): void {
    this.#lastTroubleMs = this.#now();
    this.#lastCode = code;
    if (this.#state === 'online') this.#set('degraded', code);
  }

  /** A request failed for good: `reached` tells hub-down (it answered, badly) from offline. */
  failed(code: string, reached: boolean): void {
    this.#lastTroubleMs = this.#now();
    this.#lastCode = code;
    this.#set(reached ? 'hub-down' : 'offline', code);
  }

  #set(state: ConnectivityState, code: string | null): void {
    if (state === this.#state) return;
    const change: ConnectivityChange = { state, previous: this.#state, code, at: new Date(this.#now()).toISOString() };
    this.#state = state;
    for (const listener of this.#listeners) listener(change);
  }
}
