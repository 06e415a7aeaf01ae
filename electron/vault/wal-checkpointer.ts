// Copies the vault's write-ahead log into its file off the writing thread while the sync's initial
// load writes (Vault.beginBulkLoad). A checkpoint on the writer's own connection runs inside a
// COMMIT: every page is decrypted from the log and encrypted again into the file, 17–20 µs per
// resource of a bulk load, on the thread that also reads the hub's pages. Here a worker thread with
// its own connection runs a PASSIVE checkpoint (never blocking the writer, never touching a frame
// not yet committed) after every COMMITS_PER_CHECKPOINT commits (so a page changed by several
// commits is copied once, about as often as the writer's own checkpoint every
// WAL_AUTOCHECKPOINT_PAGES did) and a last one when the load ends; the writer's automatic checkpoint stays as the bound on the log's
// size (BULK_LOAD_WAL_AUTOCHECKPOINT_PAGES). A checkpoint is SQLite's own
// crash-safe copy: a worker that fails, is stopped or dies mid-copy loses nothing (the log still
// holds every committed page and the next checkpoint copies it).
// The worker is plain JavaScript evaluated from the string below (as the integrity check's), so it
// runs unchanged under tsx, vitest and packaged Electron. The cipher's pragmas (VAULT_CIPHER_PRAGMAS)
// reach it in its workerData, and the key as the `x'…'` passphrase in a transferred ArrayBuffer,
// zeroed after keying: no copy stays in this thread.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { rawKeyPassphrase, VAULT_CIPHER_PRAGMAS } from './sqlcipher-connection.js';

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');

/**
 * Commits between two checkpoints: a bulk commit of 5,000 resources (SyncPolicy's
 * maxResourcesPerTransaction) writes about 12 MB of log, so about as often as the writer's own
 * checkpoint every 32 MiB. A shorter cadence copies the same index pages more often.
 */
const COMMITS_PER_CHECKPOINT = 3;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const passphrase = Buffer.from(workerData.passphrase);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
  for (const pragma of workerData.cipherPragmas) db.pragma(pragma);
  db.key(passphrase);
} finally {
  passphrase.fill(0);
}
db.pragma('temp_store=MEMORY');
db.pragma('synchronous=NORMAL');
db.pragma('wal_autocheckpoint=0');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (the writer checkpoints itself) or a key that no longer opens the file (rekeyed):
    // the writer's own checkpoint remains.
  }
  Atomics.store(workerData.running, 0, 0);
});
`;

export class WalCheckpointer {
  readonly #worker: Worker;
  /** 1 while the worker checkpoints (cleared by the worker: no event-loop turn needed to see it). */
  readonly #running = new Int32Array(new SharedArrayBuffer(4));
  #wanted = false;
  #commits = 0;
  #failed = false;
  #closed = false;

  /** Starts the worker on `file`, keyed with `key` (which the caller may zero once this returns). */
  constructor(file: string, key: Buffer) {
    const passphrase = rawKeyPassphrase(key);
    const transferable = new Uint8Array(passphrase.length);
    transferable.set(passphrase);
    passphrase.fill(0);
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: DRIVER, cipherPragmas: VAULT_CIPHER_PRAGMAS, passphrase: transferable.buffer, running: this.#running },
      transferList: [transferable.buffer],
      // It runs one pragma: a small heap (its isolate costs about 9 MB of resident memory).
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    this.#worker.unref();
    this.#worker.on('error', () => {
      this.#failed = true;
    });
  }

  /** Called after each commit: starts a checkpoint when one is due and none runs. */
  afterCommit(): void {
    if (this.#closed || this.#failed) return;
    this.#wanted = true;
    this.#commits += 1;
    if (Atomics.load(this.#running, 0) === 1 || this.#commits < COMMITS_PER_CHECKPOINT) return;
    this.#checkpoint();
  }

  #checkpoint(): void {
    this.#wanted = false;
    this.#commits = 0;
    Atomics.store(this.#running, 0, 1);
    this.#worker.postMessage('checkpoint');
  }

  /**
   * Stops the worker; with `lastCheckpoint`, after copying what the commits since its last
   * checkpoint wrote. Resolves when it has exited.
   */
  close(lastCheckpoint = false): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const worker = this.#worker;
    if (this.#failed) {
      this.#closed = true;
      return worker.terminate().then(() => undefined);
    }
    if (lastCheckpoint && this.#wanted) this.#checkpoint();
    this.#closed = true;
    // Referenced while it closes: an unreferenced worker does not keep the process alive.
    worker.ref();
    return new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
  }
}
