// The mirror's chart pages read on a worker thread (page-worker.ts runs upstream-page.ts), so that
// parsing, the hub form, validation and the store's text and index terms of one page run on the
// second core while the hub's thread writes the previous ones. The hub's thread keeps a copy of
// each body (for the rare decision that needs the EHR's own resource) and gets back plain columns.
// One worker per hub process (sharedPageWorker), started with the first mirror (its start-up, a
// second of loading the hub's code, is then off a pull's path) and again after a failure; it does
// not keep the process alive. A page it cannot read fails that search (the cycle retries; nothing
// was written of it). The worker is started from a small JavaScript bootstrap that loads
// the TypeScript module through tsx when the hub runs from source (workers do not inherit a loader).
import { Worker } from 'node:worker_threads';
import { UpstreamError } from './upstream-error.js';
import { UpstreamPage, type PageColumns, type PageSettings } from './upstream-page.js';

/** A page being read: its `next` link as soon as it is known, and the page. */
export interface PageRead<P> {
  readonly next: Promise<string | undefined>;
  readonly page: Promise<P>;
}

/** Reads a search page's body. */
export type PageReader<P> = (body: Buffer) => PageRead<P>;

function bootstrap(module: string, tsx: string | undefined): string {
  const load = `import(${JSON.stringify(module)})`;
  const run = tsx === undefined ? load : `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return ${load}; })`;
  return `${run}.catch(() => process.exit(1));`;
}

interface Waiting {
  readonly body: Buffer;
  next: ((value: string | undefined) => void) | undefined;
  readonly page: (value: UpstreamPage) => void;
  readonly fail: (error: Error) => void;
}

function notBundle(): UpstreamError {
  return new UpstreamError('BAD_RESPONSE', 'The upstream server answered a search without a Bundle.');
}

function workerFailed(): UpstreamError {
  return new UpstreamError(
    'BAD_RESPONSE',
    "The mirror's page reader could not read a page of the upstream's answer; the search was stopped.",
  );
}

class PageWorker {
  private worker: Worker | undefined;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  /** Starts the worker now (it is otherwise started by the first read). */
  start(): void {
    if (this.worker !== undefined) return;
    const module = new URL(`./page-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
    const tsx = module.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : undefined;
    const worker = new Worker(bootstrap(module, tsx), { eval: true });
    worker.on('message', (message: { id: number; next?: string; notBundle?: boolean; columns?: PageColumns; failed?: boolean }) => {
      const waiting = this.waiting.get(message.id);
      if (waiting === undefined) return;
      if (message.columns !== undefined) {
        this.waiting.delete(message.id);
        waiting.page(new UpstreamPage(message.columns, waiting.body));
      } else if (message.failed === true) {
        this.waiting.delete(message.id);
        waiting.fail(workerFailed());
      } else if (message.notBundle === true) {
        this.waiting.delete(message.id);
        waiting.fail(notBundle());
      } else {
        waiting.next?.(message.next);
        waiting.next = undefined;
      }
    });
    const lost = (): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const waiting of this.waiting.values()) waiting.fail(workerFailed());
      this.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    // After the listeners (a 'message' listener would hold the process again).
    worker.unref();
    this.worker = worker;
  }

  /** Reads a page on the worker. */
  read(body: Buffer, settings: PageSettings): PageRead<UpstreamPage> {
    this.start();
    const worker = this.worker;
    if (worker === undefined) {
      const failed = Promise.reject(workerFailed());
      failed.catch(() => undefined);
      return { next: failed, page: failed };
    }
    const id = this.nextId++;
    let resolveNext!: (value: string | undefined) => void;
    let resolvePage!: (value: UpstreamPage) => void;
    let failNext!: (error: Error) => void;
    let failPage!: (error: Error) => void;
    const next = new Promise<string | undefined>((resolve, reject) => {
      resolveNext = resolve;
      failNext = reject;
    });
    const page = new Promise<UpstreamPage>((resolve, reject) => {
      resolvePage = resolve;
      failPage = reject;
    });
    // Awaited by the search unless something else fails first.
    next.catch(() => undefined);
    page.catch(() => undefined);
    this.waiting.set(id, {
      body,
      next: resolveNext,
      page: (value) => {
        resolveNext(value.columns.next);
        resolvePage(value);
      },
      fail: (error) => {
        failNext(error);
        failPage(error);
      },
    });
    worker.postMessage({ id, body, settings });
    return { next, page };
  }
}

let shared: PageWorker | undefined;

/** The process's page worker, started now if it is not running. */
export function startPageWorker(): void {
  (shared ??= new PageWorker()).start();
}

/** A page reader on the process's page worker, for a mirror of these settings. */
export function pageWorkerReader(settings: PageSettings): PageReader<UpstreamPage> {
  startPageWorker();
  return (body) => shared!.read(body, settings);
}
