// Write-behind for the initial loads: whole pages (each with its walk's new position) queue up and
// are written together, in order, in one vault transaction once they hold `maxResources`, or when
// flushed. The loads of several patients then share commits, which an encrypted database makes
// expensive; a crash loses only what was not committed, and every walk resumes at its last
// committed position (no duplicate, no gap). A page may come with a `release` run once its
// transaction is over (written or failed): the page reader's pages give back their bytes then.
import type { Vault } from '../vault/index.js';

export class WriteBatcher {
  readonly #vault: Vault;
  readonly #maxResources: number;
  #queue: Array<{ apply: () => void; release: (() => void) | undefined }> = [];
  #queued = 0;

  constructor(vault: Vault, maxResources: number) {
    this.#vault = vault;
    this.#maxResources = maxResources;
  }

  /** Queues one page's writes (`apply` runs inside the transaction, `release` after it); writes at once when full. */
  add(size: number, apply: () => void, release?: () => void): void {
    this.#queue.push({ apply, release });
    this.#queued += size;
    if (this.#queued >= this.#maxResources) this.flush();
  }

  /** Writes everything queued, in order, in one transaction. */
  flush(): void {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#queued = 0;
    try {
      this.#vault.transaction(() => {
        for (const { apply } of batch) apply();
      });
    } finally {
      for (const { release } of batch) release?.();
    }
  }
}
