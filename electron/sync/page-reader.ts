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
// worker fails (it cannot start, runs out of its heap, exits, fails on a page in a way that is not
// the page's fault, or holds pages without answering past its deadline: it is then terminated), every
// page waiting and every later read fails with PageReaderFailed: the load reads those pages again on
// the writing thread, and the engine uses no reader from then on (page-reader-fallback.ts).
// The deadline (SyncPolicy.pageReaderFirstAnswerMs, then pageReaderAnswerMs) runs only while the
// worker holds pages, from the first page it is given, and starts again at each answer: it bounds the
// reading of one page (the others wait behind it on the worker), never a whole load.
//
// Started from a small JavaScript bootstrap that loads the TypeScript module through tsx when the
// workstation runs from source (tests): workers do not inherit a loader.
// Bundled (the app, the `wardline` CLI, the bench), the worker is its own bundle beside the host's
// (scripts/build-electron.mjs).
import { Worker } from 'node:worker_threads';
import { WardlineError } from '../../shared/errors/index.js';
import type { PageColumns } from './page-columns.js';
import { SyncError, type SyncErrorCode } from './sync-error.js';

/** Pages with the worker at a time. */
export const MAX_PAGES_IN_FLIGHT = 4;

/**
 * The worker's young generation, MB: small, a page's garbage is short-lived (one entry's objects at
 * a time). Its old generation holds the validators and a page's columns (PageReaderLimits.heapMb).
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

/**
 * How the reader failed: its thread ended (it could not start, or died), it reported an error (e.g.
 * out of its heap), a page failed on it for a reason that is not the page's (no detail crosses), it
 * held pages without answering past its deadline (hung: it was terminated), or it was closed with
 * pages still waiting.
 */
export type PageReaderFailure = 'WORKER_EXITED' | 'WORKER_ERROR' | 'PAGE_FAILED' | 'ANSWER_TIMEOUT' | 'CLOSED';

/** How the reader's thread is started and how long it may take to answer (SyncPolicy: pageReaderLimits). */
export interface PageReaderLimits {
  /** The worker's old generation, MB (SyncPolicy.pageReaderHeapMb). */
  readonly heapMb: number;
  /** Its first answer, its start included, once it holds a page (SyncPolicy.pageReaderFirstAnswerMs). */
  readonly firstAnswerMs: number;
  /** Each later answer while it holds pages, from the one before (SyncPolicy.pageReaderAnswerMs). */
  readonly answerMs: number;
}

/** A read the page reader could not do: not the page's fault (a page it cannot read is a SyncError). */
export class PageReaderFailed extends WardlineError<PageReaderFailure> {
  override readonly name = 'PageReaderFailed';
  readonly reason: PageReaderFailure;
  /** Node's code for the worker's error (e.g. ERR_WORKER_OUT_OF_MEMORY), when it gave one. */
  readonly nodeCode: string | undefined;

  /** `error`: what the worker reported, if anything (only Node's code of it is kept). */
  constructor(reason: PageReaderFailure, error?: unknown) {
    super(reason, `The page reader failed (${reason}); the pages are read on the sync's own thread instead.`);
    this.reason = reason;
    this.nodeCode = nodeCodeOf(error);
  }
}

/** Node's own code of a worker's error (ERR_…), never a message: an exception's text could quote a page. */
function nodeCodeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^ERR_[A-Z0-9_]+$/.test(code) ? code : undefined;
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
  #failure: PageReaderFailed | null = null;
  readonly #limits: PageReaderLimits;
  /** Answers so far (the deadline's clock starts again at each). */
  #answers = 0;
  /** Runs while the worker holds pages. */
  #deadline: NodeJS.Timeout | null = null;

  /** `module`: the worker's module, sync-page-worker beside this file unless given (tests give one that fails). */
  constructor(limits: PageReaderLimits, module?: URL) {
    this.#limits = limits;
    const source = import.meta.url.endsWith('.ts');
    const workerModule = (module ?? new URL(`./sync-page-worker${source ? '.ts' : '.js'}`, import.meta.url)).href;
    const tsx = source ? import.meta.resolve('tsx/esm/api') : undefined;
    this.#worker = new Worker(bootstrap(workerModule, tsx), {
      eval: true,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: limits.heapMb },
    });
    this.#worker.on('message', (answer: Answer) => this.#answered(answer));
    this.#worker.on('error', (error) => this.#fail(new PageReaderFailed('WORKER_ERROR', error)));
    this.#worker.on('exit', () => this.#fail(new PageReaderFailed('WORKER_EXITED')));
    // After the listeners (a 'message' listener would hold the process again): a reader left open
    // does not keep the process alive; one reading does (#send), or the process could end with a
    // page in the worker and nothing else to wait for.
    this.#worker.unref();
  }

  /** Reads one page on the worker. `body` is handed over: it must not be used after. */
  read(body: Buffer): Promise<ReadPage> {
    if (this.#failure !== null) return Promise.reject(this.#failure);
    return new Promise<ReadPage>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, body: ownBuffer(body), length: body.byteLength, resolve, reject });
      this.#send();
    });
  }

  /** Stops the worker (pages still with it fail, as CLOSED). */
  async close(): Promise<void> {
    this.#fail(new PageReaderFailed('CLOSED'));
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
    this.#watch(false);
  }

  /**
   * Keeps the deadline running while the worker holds pages (from the first page it is given,
   * `restart`ed at each answer) and stops it when it holds none. Past it, the worker is taken for
   * hung. Its answers that already wait for this thread are taken first: a writing thread busy past
   * the deadline (a long transaction) sees the timer and the answers due together, and the timer's
   * turn of the event loop comes before the messages'; the check is therefore made a turn later
   * (setImmediate, after the messages), and only fails the reader if no answer came in the meantime.
   */
  #watch(restart: boolean): void {
    if (this.#failure !== null || this.#inFlight.size === 0 || restart) this.#stopDeadline();
    if (this.#failure !== null || this.#inFlight.size === 0 || this.#deadline !== null) return;
    const answers = this.#answers;
    const ms = answers === 0 ? this.#limits.firstAnswerMs : this.#limits.answerMs;
    this.#deadline = setTimeout(() => {
      this.#deadline = null;
      setImmediate(() => {
        if (this.#answers !== answers || this.#failure !== null || this.#inFlight.size === 0) return;
        this.#fail(new PageReaderFailed('ANSWER_TIMEOUT'));
        // It may be stuck in a loop: stopped now, not left to spin beside the load until it closes.
        this.#worker.terminate().catch(() => undefined);
      });
    }, ms);
  }

  #stopDeadline(): void {
    if (this.#deadline === null) return;
    clearTimeout(this.#deadline);
    this.#deadline = null;
  }

  #answered(answer: Answer): void {
    const waiting = this.#inFlight.get(answer.id);
    if (waiting === undefined) return;
    this.#inFlight.delete(answer.id);
    this.#answers += 1;
    this.#watch(true);
    const body = Buffer.from(answer.body, 0, waiting.length);
    if ('columns' in answer) waiting.resolve({ columns: answer.columns, body, release: () => detach(answer.body) });
    else if ('error' in answer) waiting.reject(new SyncError(answer.error.code, answer.error.message));
    else {
      // Not the page's fault, and no detail crossed: the reader is not trusted with another page.
      this.#fail(new PageReaderFailed('PAGE_FAILED'));
      waiting.reject(this.#failure!);
      return;
    }
    this.#send();
  }

  #fail(failure: PageReaderFailed): void {
    if (this.#failure !== null) return;
    this.#failure = failure;
    this.#stopDeadline();
    const waiting = [...this.#inFlight.values(), ...this.#queue];
    this.#inFlight.clear();
    this.#queue.length = 0;
    for (const { reject } of waiting) reject(failure);
    // Nothing is read any more: a worker still running must not hold the process.
    this.#worker.unref();
  }
}
