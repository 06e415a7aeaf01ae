// The contract's ApiTransport over the loopback WebSocket (evaluation mode: a browser instead of
// Electron's preload). Invokes wait in a queue until the socket is open, replies find their
// invoke by id, and when the connection drops every waiting invoke fails (the contract answers
// INTERNAL). It reconnects by itself, waiting longer after each failed attempt. Its first socket may
// be one the page opened before the bridge existed (early-socket.ts): already open or closed, with
// frames received and an invoke sent meanwhile, whose answer goes to the first identical invoke.
import type { ApiTransport, InvokeMessage } from '../../../shared/contract/index.js';
import { hostFrameSchema, LOOPBACK_MAX_FRAME_BYTES } from '../../../shared/loopback/index.js';

export interface LoopbackBridgeOptions {
  /** `ws://127.0.0.1:<port>/ipc` */
  readonly url: string;
  /** First wait before reconnecting (default 250 ms); it doubles after each failure... */
  readonly minDelayMs?: number;
  /** ...up to this (default 5 s). */
  readonly maxDelayMs?: number;
  readonly createSocket?: (url: string) => WebSocket;
  /** A socket to `url` opened before the bridge, to take over on the first connection (or null). */
  readonly adopt?: (url: string) => AdoptedSocket | null;
}

/** A socket the page opened before the bridge, and what went over it meanwhile. */
export interface AdoptedSocket {
  readonly socket: WebSocket;
  /** Frames the host sent meanwhile, in order. */
  readonly received: readonly unknown[];
  /** Invokes sent meanwhile (frame ids below 1; the bridge numbers its own from 1). */
  readonly sent: ReadonlyArray<{ readonly id: number; readonly message: InvokeMessage }>;
}

export interface LoopbackBridge extends ApiTransport {
  /** Closes the socket for good: waiting and later invokes fail. */
  close(): void;
}

interface Waiting {
  readonly resolve: (reply: unknown) => void;
  readonly reject: (error: Error) => void;
  /** The frame, until it is sent. */
  text: string | null;
}

const LOST = 'The connection to the Wardline host was lost.';

export function loopbackBridge(options: LoopbackBridgeOptions): LoopbackBridge {
  const minDelay = options.minDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5_000;
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const waiting = new Map<number, Waiting>();
  /** Answers to invokes sent before the bridge existed, by message, for the first identical invoke. */
  const sentEarly = new Map<string, Promise<unknown>>();
  const listeners = new Set<(message: unknown) => void>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let delay = minDelay;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const failAll = (reason: string): void => {
    const failing = [...waiting.values()];
    waiting.clear();
    sentEarly.clear(); // asked again over the next connection
    for (const entry of failing) entry.reject(new Error(reason));
  };

  const flush = (): void => {
    if (socket === null || socket.readyState !== socket.OPEN) return;
    for (const entry of waiting.values()) {
      if (entry.text === null) continue;
      socket.send(entry.text);
      entry.text = null;
    }
  };

  const receive = (data: unknown): void => {
    if (typeof data !== 'string' || data.length > LOOPBACK_MAX_FRAME_BYTES) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return;
    }
    const frame = hostFrameSchema.safeParse(parsed);
    if (!frame.success) return;
    if (frame.data.type === 'event') {
      for (const listener of [...listeners]) listener(frame.data.message);
      return;
    }
    const entry = waiting.get(frame.data.id);
    if (entry === undefined) return;
    waiting.delete(frame.data.id);
    entry.resolve(frame.data.reply);
  };

  const lost = (current: WebSocket): void => {
    if (socket !== current) return;
    socket = null;
    failAll(LOST);
    if (closed) return;
    const wait = delay * (0.8 + 0.4 * Math.random());
    delay = Math.min(maxDelay, delay * 2);
    retry = setTimeout(connect, wait);
  };

  const awaitEarlyReply = (id: number, message: InvokeMessage): void => {
    const reply = new Promise<unknown>((resolve, reject) => waiting.set(id, { resolve, reject, text: null }));
    reply.catch(() => undefined); // nobody may ever ask for it
    sentEarly.set(JSON.stringify(message), reply);
  };

  let adopt = options.adopt ?? null;
  const connect = (): void => {
    retry = null;
    if (closed) return;
    const adopted = adopt?.(options.url) ?? null;
    adopt = null;
    const current = adopted?.socket ?? createSocket(options.url);
    socket = current;
    const opened = (): void => {
      delay = minDelay;
      flush();
    };
    current.addEventListener('open', opened);
    current.addEventListener('message', (event: MessageEvent) => receive(event.data));
    // A failed attempt (refused, host gone) is followed by 'close', which schedules the next one.
    current.addEventListener('error', () => undefined);
    current.addEventListener('close', () => lost(current));
    if (adopted !== null) {
      for (const { id, message } of adopted.sent) awaitEarlyReply(id, message);
      for (const data of adopted.received) receive(data);
    }
    // A socket opened before the bridge took it over (early-socket.ts) may be open, or gone, already.
    if (current.readyState === current.OPEN) opened();
    else if (current.readyState === current.CLOSED) lost(current);
  };

  connect();
  return {
    invoke(message: InvokeMessage): Promise<unknown> {
      if (closed) return Promise.reject(new Error(LOST));
      const early = sentEarly.get(JSON.stringify(message));
      if (early !== undefined) {
        sentEarly.delete(JSON.stringify(message));
        return early;
      }
      const id = nextId++;
      const text = JSON.stringify({ id, type: 'invoke', message });
      if (text.length > LOOPBACK_MAX_FRAME_BYTES)
        return Promise.reject(new Error('The request is too large to send to the Wardline host.'));
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject, text });
        flush();
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      closed = true;
      if (retry !== null) clearTimeout(retry);
      const current = socket;
      socket = null;
      current?.close();
      failAll(LOST);
    },
  };
}
