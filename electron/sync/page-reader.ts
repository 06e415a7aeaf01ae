// The initial load's pages read on a thread of their own (sync-page-worker.ts runs page-columns.ts),
// so that scanning a page's bytes, JSON.parse, validation and the rows run beside the thread that
// writes the vault, which keeps what needs the database: the scope against the vault's Locations,
// the stored versions, the outbox, the writes and the commits. A page's bytes are transferred to
// the worker and back (never copied, unless they share memory with other buffers), and come back
// with the page's columns, which become the PreparedVersions the writing thread applies
// (page-prepared.ts). At most MAX_PAGES_IN_FLIGHT pages are with the worker at a time; the others
// wait here in order (the walks ask for at most two pages each, so that queue stays short).
//
// One reader per initial load (sync-cycle.ts starts it and closes it when the loads are over), so
// its memory (an isolate with the validators, a small young generation) is given back after. If the
// worker fails (it cannot start, runs out of its heap, exits), every page waiting and every later
// read fails with PAGE_READER_FAILED: the load stops like any failed cycle (the pages already
// written stay, each walk resumes at its last written page) and the next cycle starts a new reader.
// Started from a small JavaScript bootstrap that loads the TypeScript module through tsx when the
// workstation runs from source (tests): workers do not inherit a loader. Bundled (the app, the
// `wardline` CLI, the bench), the worker is its own bundle beside the host's (scripts/build-electron.mjs).
import { Worker } from 'node:worker_threads';
import type { PageColumns } from './page-columns.js';
import { SyncError, type SyncErrorCode } from './sync-error.js';

/** Pages with the worker at a time. */
export const MAX_PAGES_IN_FLIGHT = 4;

/**
 * The worker's young generation, MB: small, a page's garbage is short-lived (one entry's objects at
 * a time). Its old generation holds the validators and a page's columns (SyncPolicy.pageReaderHeapMb).
 */
const WORKER_YOUNG_GENERATION_MB = 4;

/** A page read: its columns and its bytes (the resources' JSON, by range). */
export interface ReadPage {
  readonly columns: PageColumns;
  readonly body: Buffer;
  /**
   * Gives the page's bytes back at once (they must not be used after: every view of them becomes
   * empty), instead of when the garbage collector gets to them: the writing thread now allocates
   * little, so its collections are rare, and pages it has written would otherwise pile up.
   */
  release(): void;
}

interface Waiting {
  readonly id: number;
  readonly body: ArrayBuffer;
  readonly length: number;
  readonly resolve: (page: ReadPage) => void;
  readonly reject: (error: Error) => void;
}

type Answer =
  | { id: number; body: ArrayBuffer; columns: PageColumns }
  | { id: number; body: ArrayBuffer; error: { code: SyncErrorCode; message: string } }
  | { id: number; body: ArrayBuffer; failed: true };

function readerFailed(): SyncError {
  return new SyncError(
    'PAGE_READER_FAILED',
    "The workstation's page reader stopped while reading the hub's pages. Sync tries again by itself; if this repeats, ask IT to report it.",
  );
}

function bootstrap(module: string, tsx: string | undefined): string {
  const load = `import(${JSON.stringify(module)})`;
  const run = tsx === undefined ? load : `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return ${load}; })`;
  return `${run}.catch(() => process.exit(1));`;
}

/** The page's bytes as an ArrayBuffer of their own, to transfer (copied only when they share one). */
function ownBuffer(body: Buffer): ArrayBuffer {
  if (body.byteOffset === 0 && body.buffer.byteLength === body.byteLength && body.buffer instanceof ArrayBuffer) return body.buffer;
  const copy = new Uint8Array(body.byteLength);
  copy.set(body);
  return copy.buffer;
}

/** Frees an ArrayBuffer's memory at the next collection of young objects (its views become empty). */
function detach(buffer: ArrayBuffer): void {
  if (buffer.byteLength > 0) structuredClone(buffer, { transfer: [buffer] });
}

export class PageReader {
  readonly #worker: Worker;
  /** Sent to the worker, by id. */
  readonly #inFlight = new Map<number, Waiting>();
  /** Not sent yet, in order. */
  readonly #queue: Waiting[] = [];
  #nextId = 1;
  #failed = false;

  /** `heapMb`: the worker's old generation (SyncPolicy.pageReaderHeapMb). */
  constructor(heapMb: number) {
    const source = import.meta.url.endsWith('.ts');
    const module = new URL(`./sync-page-worker${source ? '.ts' : '.js'}`, import.meta.url).href;
    const tsx = source ? import.meta.resolve('tsx/esm/api') : undefined;
    this.#worker = new Worker(bootstrap(module, tsx), {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: heapMb },
    });
    this.#worker.on('message', (answer: Answer) => this.#answered(answer));
    this.#worker.on('error', () => this.#fail());
    this.#worker.on('exit', () => this.#fail());
    // After the listeners (a 'message' listener would hold the process again): a reader left open
    // does not keep the process alive; one reading does (#send), or the process could end with a
    // page in the worker and nothing else to wait for.
    this.#worker.unref();
  }

  /** Reads one page on the worker. `body` is handed over: it must not be used after. */
  read(body: Buffer): Promise<ReadPage> {
    if (this.#failed) return Promise.reject(readerFailed());
    return new Promise<ReadPage>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, body: ownBuffer(body), length: body.byteLength, resolve, reject });
      this.#send();
    });
  }

  /** Stops the worker (pages still with it fail). */
  async close(): Promise<void> {
    this.#fail();
    await this.#worker.terminate();
  }

  #send(): void {
    if (this.#inFlight.size === 0 && this.#queue.length === 0) {
      this.#worker.unref();
      return;
    }
    this.#worker.ref();
    while (this.#inFlight.size < MAX_PAGES_IN_FLIGHT && this.#queue.length > 0) {
      const waiting = this.#queue.shift()!;
      this.#inFlight.set(waiting.id, waiting);
      this.#worker.postMessage({ id: waiting.id, body: waiting.body, length: waiting.length }, [waiting.body]);
    }
  }

  #answered(answer: Answer): void {
    const waiting = this.#inFlight.get(answer.id);
    if (waiting === undefined) return;
    this.#inFlight.delete(answer.id);
    const body = Buffer.from(answer.body, 0, waiting.length);
    if ('columns' in answer) waiting.resolve({ columns: answer.columns, body, release: () => detach(answer.body) });
    else if ('error' in answer) waiting.reject(new SyncError(answer.error.code, answer.error.message));
    else waiting.reject(readerFailed());
    this.#send();
  }

  #fail(): void {
    if (this.#failed) return;
    this.#failed = true;
    const waiting = [...this.#inFlight.values(), ...this.#queue];
    this.#inFlight.clear();
    this.#queue.length = 0;
    for (const { reject } of waiting) reject(readerFailed());
  }
}
