// Copies the write-ahead log into the database file off the hub's event loop. A checkpoint on the
// writer connection runs inside a COMMIT: with the cipher every page is decrypted from the log and
// encrypted again into the file, as much work as the writes themselves during a bulk load (the
// upstream mirror's first pull, an ADT burst). So, once the log has grown past a few MB, a worker
// thread with its own connection runs PASSIVE checkpoints (never blocking a writer or a reader) at
// most once per interval after commits, and the writer's own automatic checkpoint stays as the
// bound on the log's size (it then finds little left to copy).
// The worker is plain JavaScript evaluated from the string below, so it runs unchanged under tsx,
// vitest and a packaged build (workers do not inherit a TypeScript loader), as the vault's integrity
// check does. The cipher's pragmas and the at-rest ones (HUB_CIPHER, HUB_AT_REST_PRAGMAS, the one
// source) reach it in its workerData, and the key as the `x'…'` passphrase in a transferred
// ArrayBuffer, zeroed after keying.
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { HUB_AT_REST_PRAGMAS, HUB_CIPHER } from './hub-cipher.js';
import { rawKeyPassphrase } from './sqlite-cipher.js';

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');

/** The log's file size from which the worker starts (small hubs and tests never start one). */
const START_AT_WAL_BYTES = 4 * 1024 * 1024;
/** At most one checkpoint per interval; later commits are covered by a trailing one. */
const INTERVAL_MS = 500;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
if (workerData.passphrase) {
  const passphrase = Buffer.from(workerData.passphrase);
  try {
    for (const pragma of workerData.cipherPragmas) db.pragma(pragma);
    db.key(passphrase);
  } finally {
    passphrase.fill(0);
  }
  for (const pragma of workerData.atRestPragmas) db.pragma(pragma);
}
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy (the writer is checkpointing) or anything else: the writer's own checkpoint remains.
  }
  Atomics.store(workerData.running, 0, 0);
});
`;

export class WalCheckpointer {
  private worker: Worker | null = null;
  private failed = false;
  /** 1 while the worker checkpoints (cleared by the worker: no event-loop turn needed to see it). */
  private readonly running = new Int32Array(new SharedArrayBuffer(4));
  private wanted = false;
  private lastStart = 0;
  private trailing: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly key: Buffer | undefined,
  ) {}

  /** Called after each commit: starts a checkpoint when one is due. */
  afterCommit(): void {
    if (this.closed || this.failed) return;
    if (this.trailing !== null && Date.now() >= this.lastStart + INTERVAL_MS) {
      clearTimeout(this.trailing);
      this.trailing = null;
    }
    if (this.worker === null && !this.logIsLarge()) return;
    this.wanted = true;
    this.schedule();
  }

  private logIsLarge(): boolean {
    try {
      return statSync(`${this.file}-wal`).size >= START_AT_WAL_BYTES;
    } catch {
      return false;
    }
  }

  private schedule(): void {
    if (!this.wanted) return;
    const busy = Atomics.load(this.running, 0) === 1;
    const wait = this.lastStart + INTERVAL_MS - Date.now();
    if (busy || wait > 0) {
      // Covers the last commits of a burst (this thread may not look again for a while).
      if (this.trailing !== null) return;
      this.trailing = setTimeout(
        () => {
          this.trailing = null;
          this.schedule();
        },
        Math.max(wait, INTERVAL_MS / 5),
      );
      this.trailing.unref();
      return;
    }
    const worker = this.worker ?? this.start();
    if (worker === null) return;
    this.wanted = false;
    Atomics.store(this.running, 0, 1);
    this.lastStart = Date.now();
    worker.postMessage('checkpoint');
  }

  private start(): Worker | null {
    let passphrase: ArrayBuffer | undefined;
    if (this.key !== undefined) {
      const text = rawKeyPassphrase(this.key);
      const bytes = new Uint8Array(text.length);
      bytes.set(text);
      text.fill(0);
      passphrase = bytes.buffer;
    }
    try {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file: this.file,
          driver: DRIVER,
          cipherPragmas: HUB_CIPHER.pragmas,
          atRestPragmas: HUB_AT_REST_PRAGMAS,
          passphrase,
          running: this.running,
        },
        transferList: passphrase === undefined ? [] : [passphrase],
      });
      worker.unref();
      worker.on('error', () => {
        this.failed = true;
      });
      this.worker = worker;
      return worker;
    } catch {
      this.failed = true;
      return null;
    }
  }

  /** Stops the worker (its connection closed) before the database closes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.trailing !== null) clearTimeout(this.trailing);
    const worker = this.worker;
    this.worker = null;
    if (worker === null || this.failed) {
      await worker?.terminate();
      return;
    }
    // Referenced again while it closes: an unreferenced worker does not keep the process alive, and a
    // process awaiting only its exit would end first (exit code 13, an unsettled top-level await).
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
  }
}
