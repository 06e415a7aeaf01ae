// Write-behind for the initial loads: whole pages (each with its walk's new position) queue up and
// are written together, in order, in one vault transaction once they hold `maxResources`, or when
// flushed. The loads of several patients then share commits, which an encrypted database makes
// expensive; a crash loses only what was not committed, and every walk resumes at its last
// committed position (no duplicate, no gap).
import type { Vault } from '../vault/index.js';

export class WriteBatcher {
  readonly #vault: Vault;
  readonly #maxResources: number;
  #queue: Array<() => void> = [];
  #queued = 0;

  constructor(vault: Vault, maxResources: number) {
    this.#vault = vault;
    this.#maxResources = maxResources;
  }

  /** Queues one page's writes (`apply` runs inside the transaction); writes at once when full. */
  add(size: number, apply: () => void): void {
    this.#queue.push(apply);
    this.#queued += size;
    if (this.#queued >= this.#maxResources) this.flush();
  }

  /** Writes everything queued, in order, in one transaction. */
  flush(): void {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    this.#vault.transaction(() => {
      for (const apply of batch) apply();
    });
  }
}
