// One HTTPS exchange with the hub over the pinned agent: request out, whole body in, with a timeout
// for a silent connection (idle) and one for the whole exchange. A body cut short, a reset or a
// stall becomes a SyncError the retry policy understands; nothing here retries by itself.
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { PinnedAgent } from './pinned-agent.js';
import { SyncError } from './sync-error.js';

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Milliseconds from sending to the first byte of the answer. */
  readonly firstByteMs: number;
  /**
   * Hands the body's memory back for a later answer once it has been read whole (e.g. parsed): the
   * body must not be used after. Optional: a body not released is left to the garbage collector.
   */
  readonly release?: () => void;
}

export interface HttpTimeouts {
  /** No byte received for this long on an open exchange: the hub is stalling. */
  readonly idleMs: number;
  /** The whole exchange, a large page included. */
  readonly totalMs: number;
}

export type HttpSend = (req: HttpRequest, signal?: AbortSignal) => Promise<HttpResponse>;

function lost(cause: unknown): SyncError {
  return new SyncError('CONNECTION_LOST', 'The connection to the hub broke off during a request. Sync retries by itself.', { cause });
}

function stalled(): SyncError {
  return new SyncError('TIMEOUT', 'The hub stopped answering in the middle of a request. Sync retries by itself.');
}

/** Receive buffers are sized in steps of this many bytes, so pages of similar sizes share them. */
const RECEIVE_STEP = 256 * 1024;
/** At most this many receive buffers wait for the next answers (a sync has a few pages in flight). */
const RECEIVE_KEPT = 8;
/** Receive buffers not reused for this long go to the garbage collector (sync is between cycles). */
const RECEIVE_IDLE_MS = 2_000;

/**
 * Receive buffers for answers with a Content-Length, handed back once their answer has been read
 * (HttpResponse.release) and reused for the next ones. A page-sized buffer otherwise stays in
 * memory until the garbage collector finds it, which for a buffer that lived through the seconds of
 * its download is a full collection, long after: an initial load would hold tens of such pages.
 * Kept only while answers keep coming.
 */
class ReceiveBuffers {
  #free: Buffer[] = [];
  #idle: NodeJS.Timeout | null = null;

  /** A buffer of at least `length` bytes for an answer now arriving. */
  take(length: number): Buffer {
    let best = -1;
    for (let i = 0; i < this.#free.length; i += 1) {
      const size = this.#free[i]!.length;
      if (size >= length && (best === -1 || size < this.#free[best]!.length)) best = i;
    }
    if (best !== -1) return this.#free.splice(best, 1)[0]!;
    return Buffer.allocUnsafe(Math.ceil(length / RECEIVE_STEP) * RECEIVE_STEP);
  }

  /** `buffer` (from take) is no longer used. */
  give(buffer: Buffer): void {
    if (this.#free.length < RECEIVE_KEPT) this.#free.push(buffer);
    if (this.#idle === null) {
      this.#idle = setTimeout(() => {
        this.#free = [];
        this.#idle = null;
      }, RECEIVE_IDLE_MS);
      this.#idle.unref();
    } else {
      this.#idle.refresh();
    }
  }
}

/**
 * The answer's bytes. With a Content-Length (the hub's pages have one), each chunk is copied into
 * one buffer of that size (from `buffers`) as it arrives and can be collected at once; a large page
 * then never exists twice (chunks and their concatenation). Without one, or if the body runs
 * longer, chunks are concatenated at the end.
 */
class BodyCollector {
  #whole: Buffer | null;
  #length = 0;
  #filled = 0;
  #chunks: Buffer[] = [];

  constructor(contentLength: string | undefined, buffers: ReceiveBuffers) {
    const length = contentLength === undefined ? NaN : Number(contentLength);
    this.#whole = Number.isSafeInteger(length) && length > 0 ? buffers.take(length) : null;
    if (this.#whole !== null) this.#length = length;
  }

  /** The receive buffer the body is in (for ReceiveBuffers.give), or null when it came in chunks. */
  get buffer(): Buffer | null {
    return this.#whole;
  }

  add(chunk: Buffer): void {
    if (this.#whole !== null && this.#filled + chunk.length <= this.#length) {
      this.#filled += chunk.copy(this.#whole, this.#filled);
      return;
    }
    if (this.#whole !== null) {
      // Longer than announced: chunks after all (the receive buffer is left to the collector).
      this.#chunks.push(this.#whole.subarray(0, this.#filled));
      this.#whole = null;
    }
    this.#chunks.push(chunk);
  }

  take(): Buffer {
    if (this.#whole !== null) return this.#whole.subarray(0, this.#filled);
    return Buffer.concat(this.#chunks);
  }
}

export function createHttpSend(agent: PinnedAgent, timeouts: HttpTimeouts): HttpSend {
  const buffers = new ReceiveBuffers();
  return (req, signal) =>
    new Promise<HttpResponse>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
        return;
      }
      const started = performance.now();
      let done = false;
      const finish = (error: SyncError | null, response?: HttpResponse): void => {
        if (done) return;
        done = true;
        clearTimeout(total);
        signal?.removeEventListener('abort', onAbort);
        if (error !== null) {
          outgoing.destroy();
          reject(error);
        } else {
          resolve(response!);
        }
      };
      const onAbort = (): void => finish(new SyncError('SYNC_CLOSED', 'Sync was stopped.'));
      const headers: Record<string, string> = { ...(req.headers ?? {}) };
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      const outgoing = request(req.url, { method: req.method, headers, agent, timeout: timeouts.idleMs }, (res) => {
        const firstByteMs = performance.now() - started;
        const body = new BodyCollector(res.headers['content-length'], buffers);
        let given = false;
        const give = (): void => {
          const buffer = body.buffer;
          if (given || buffer === null) return;
          given = true;
          buffers.give(buffer);
        };
        res.on('data', (chunk: Buffer) => body.add(chunk));
        res.on('error', (error) => finish(lost(error)));
        res.on('aborted', () => finish(lost(new Error('response aborted'))));
        res.on('end', () => {
          if (!res.complete) {
            finish(lost(new Error('response incomplete')));
            return;
          }
          finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: body.take(), firstByteMs, release: give });
        });
      });
      // Socket idle for timeouts.idleMs (before or during the answer).
      outgoing.on('timeout', () => finish(stalled()));
      outgoing.on('error', (error) => finish(error instanceof SyncError ? error : lost(error)));
      const total = setTimeout(() => finish(stalled()), timeouts.totalMs);
      signal?.addEventListener('abort', onAbort);
      outgoing.end(req.body);
    });
}
