// The Transport port over the loopback WebSocket (evaluation mode, e2e tests). Each page that
// connects is one "contents" (numbered from 1); its invokes go to the router with the loopback
// origin as the sender's frame, and every answer goes back with the invoke's id. Events go to
// every open page. Frames that are not JSON or not an invoke are dropped; a page that keeps
// sending them, or too many at once, is disconnected (the size limit is the WebSocket's).
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import { failed, IPC_ERROR_CODES, type EventMessage, type IpcResult } from '../../shared/contract/index.js';
import { invokeFrameSchema } from '../../shared/loopback/index.js';
import type { RequestServer, SenderInfo, Transport } from '../host/index.js';

export interface LoopbackTransportOptions {
  /** `http://127.0.0.1:<port>`: the page's frame URL is its root. */
  readonly origin: string;
  readonly logger: Logger;
  /** Bad frames a page may send before it is disconnected (default 5). */
  readonly maxStrikes?: number;
  /** Invokes one page may have waiting at once (default 64). */
  readonly maxPending?: number;
}

const NOT_SERVING = 'Wardline is starting or stopping. Wait a moment and try again.';
const POLICY_VIOLATION = 1008;

export class LoopbackTransport implements Transport {
  readonly #options: LoopbackTransportOptions;
  readonly #sockets = new Map<number, WebSocket>();
  #server: RequestServer | null = null;
  #nextId = 1;

  constructor(options: LoopbackTransportOptions) {
    this.#options = options;
  }

  serve(server: RequestServer): () => void {
    this.#server = server;
    return () => {
      if (this.#server === server) this.#server = null;
    };
  }

  emit(message: EventMessage): void {
    const frame = JSON.stringify({ type: 'event', message });
    for (const socket of this.#sockets.values()) {
      if (socket.readyState === socket.OPEN) socket.send(frame);
    }
  }

  /** The pages connected now (their contents ids). */
  connections(): ReadonlySet<number> {
    return new Set(this.#sockets.keys());
  }

  /** Takes a page's accepted WebSocket; returns its contents id. */
  attach(socket: WebSocket): number {
    const contentsId = this.#nextId++;
    const sender: SenderInfo = { frameUrl: `${this.#options.origin}/`, isMainFrame: true, contentsId };
    const maxStrikes = this.#options.maxStrikes ?? 5;
    const maxPending = this.#options.maxPending ?? 64;
    let strikes = 0;
    let pending = 0;
    this.#sockets.set(contentsId, socket);

    const strike = (reason: string): void => {
      strikes += 1;
      this.#options.logger.warn({ event: 'loopback.bad_frame', contentsId, reason, strikes }, 'loopback frame dropped');
      if (strikes >= maxStrikes) socket.close(POLICY_VIOLATION, 'too many bad frames');
    };
    const answer = (id: number, reply: IpcResult<unknown>): void => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id, type: 'reply', reply }));
    };

    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return strike('binary');
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawText(data));
      } catch {
        return strike('not-json');
      }
      const frame = invokeFrameSchema.safeParse(parsed);
      if (!frame.success) return strike('not-an-invoke');
      if (pending >= maxPending) return strike('too-many-pending');
      const server = this.#server;
      if (server === null) return answer(frame.data.id, failed(IPC_ERROR_CODES.internal, NOT_SERVING));
      pending += 1;
      // Fire and forget: the reply goes back on the socket when the call settles. A failed call
      // becomes an internal-error reply; a reply that cannot be sent is logged and dropped.
      void server({ sender, message: frame.data.message })
        .catch(() => failed(IPC_ERROR_CODES.internal, NOT_SERVING))
        .then((reply) => answer(frame.data.id, reply))
        .catch(() => this.#options.logger.warn({ event: 'loopback.reply_failed', contentsId }, 'loopback reply not sent'))
        .finally(() => {
          pending -= 1;
        });
    });
    socket.on('close', () => this.#sockets.delete(contentsId));
    socket.on('error', () => socket.terminate());
    return contentsId;
  }

  /** Disconnects every page (the server is stopping). */
  closeAll(): void {
    for (const socket of this.#sockets.values()) socket.terminate();
    this.#sockets.clear();
  }
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
