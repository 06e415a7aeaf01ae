// One HTTPS exchange with the hub over the pinned agent: request out, whole body in, with a timeout
// for a silent connection (idle) and one for the whole exchange. A body cut short, a reset or a
// stall becomes a SyncError the retry policy understands; nothing here retries by itself.
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import type { PinnedAgent } from './pinned-agent.js';
import { SyncError } from './sync-error.js';

export interface HttpRequest {
  /** No DELETE: the workstation never deletes at the hub (documentation is corrected or marked entered in error; docs/SECURITY.md). */
  readonly method: 'GET' | 'POST' | 'PUT';
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

/**
 * The answer's bytes. With a Content-Length (the hub's pages have one), each chunk is copied into
 * one buffer of that size as it arrives and can be collected at once; a large page then never
 * exists twice (chunks and their concatenation). Without one, or if the body runs longer, chunks
 * are concatenated at the end.
 */
class BodyCollector {
  #whole: Buffer | null;
  #filled = 0;
  #chunks: Buffer[] = [];

  constructor(contentLength: string | undefined) {
    const length = contentLength === undefined ? NaN : Number(contentLength);
    this.#whole = Number.isSafeInteger(length) && length > 0 ? Buffer.allocUnsafe(length) : null;
  }

  add(chunk: Buffer): void {
    if (this.#whole !== null && this.#filled + chunk.length <= this.#whole.length) {
      this.#filled += chunk.copy(this.#whole, this.#filled);
      return;
    }
    if (this.#whole !== null) {
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
        const body = new BodyCollector(res.headers['content-length']);
        res.on('data', (chunk: Buffer) => body.add(chunk));
        res.on('error', (error) => finish(lost(error)));
        res.on('aborted', () => finish(lost(new Error('response aborted'))));
        res.on('end', () => {
          if (!res.complete) {
            finish(lost(new Error('response incomplete')));
            return;
          }
          finish(null, { status: res.statusCode ?? 0, headers: res.headers, body: body.take(), firstByteMs });
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
