// The MLLP listener: MLLP framing (VT … FS CR, mllp-framing.ts) over TLS (the hub's certificate,
// TLS ≥ 1.2) or, when IT chooses it, plain TCP. Each connection handles its messages in arrival
// order, so a sender's messages (and so each patient's) are applied in the order sent, and every ACK
// goes back on the connection its message came in on, in that order. Group commit: the messages
// that arrived while the previous group was being stored (a sender that pipelines) are applied
// together in one durable transaction, each all-or-nothing, and ACKed after its commit.
// Anyone who can reach the port can connect before any credential is checked, so the listener bounds
// what a connection may hold:
// - a frame begun must end (and a TLS handshake finish) within `frameDeadlineMs`, else the
//   connection is closed;
// - it stops reading a connection while the ACKs it has not read pass MAX_UNREAD_ANSWER_BYTES, or
//   its messages waiting to be applied pass MAX_WAITING_FRAMES, and reads on once they are down;
// - a connection whose first MAX_REFUSALS_UNAUTHENTICATED answers were all refusals without a feed's
//   credential (AR 207, unreadable) is closed: an engine stops at its first AR;
// - TCP keepalive (KEEPALIVE_MS) ends connections whose peer vanished (a NAT or firewall forgot them);
// - at most `maxConnections` at once: one more takes the place of the connection idle the longest
//   (one that never delivered an authenticated message first), and is closed as it arrives only when
//   none is idle (every one is in a frame, a handshake or its messages).
// A connection idle between frames is otherwise kept however long: that is how an interface engine's
// one long-lived connection waits for the next event.
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Hl7Message } from '@medplum/core';
import type { Logger } from 'pino';
import type { SqlDatabase } from '../../storage/index.js';
import { unreadableAck } from './adt-ack.js';
import { parseHl7 } from './adt-message.js';
import { mllpFrame, MllpFrameReader } from './mllp-framing.js';
import { purgeDuplicateKeys, receiveAdtMessages, type ReceiveContext } from './receive-message.js';

/** How long duplicate keys are kept by default (senders reuse control ids; resends come days later). */
export const DEFAULT_DUPLICATE_RETENTION_DAYS = 14;
const PURGE_INTERVAL_MS = 60 * 60_000;
/** Connections open at once by default (an interface engine uses one or a few per feed). */
export const DEFAULT_MLLP_MAX_CONNECTIONS = 32;
/** How long a frame (or a TLS handshake) may take from its first byte to its last, by default. */
export const DEFAULT_MLLP_FRAME_DEADLINE_MS = 30_000;
/** The most messages one group commit takes (a sender's window is usually far smaller). */
export const MAX_GROUP_MESSAGES = 256;
/** Bytes of ACKs a connection may leave unread before the listener stops reading it. */
export const MAX_UNREAD_ANSWER_BYTES = 256 * 1024;
/** Messages a connection may have waiting to be applied before the listener stops reading it. */
export const MAX_WAITING_FRAMES = 2 * MAX_GROUP_MESSAGES;
/** Refusals without a feed's credential, before any message with one, after which a connection is closed. */
export const MAX_REFUSALS_UNAUTHENTICATED = 5;
/** Idle time before TCP keepalive probes a connection's peer (a vanished one is closed minutes later). */
export const KEEPALIVE_MS = 30_000;
const UNREADABLE = 'The message does not start with an MSH segment; nothing was applied.';

function parsedFrame(frame: string): Hl7Message | null {
  // Segments end with CR; some senders add LF.
  const text = frame.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
  if (!text.startsWith('MSH')) return null;
  try {
    return parseHl7(text);
  } catch {
    return null;
  }
}

/**
 * How long a group waits for the messages a pipelining sender sends back for the ACKs it just got
 * (they arrive over a few network reads): without it the tail of a window lands in a group (and a
 * durable commit) of its own.
 */
const GATHER_MS = 2;

/** What the listener knows of one connection, to bound it and to choose whom a newcomer replaces. */
interface ConnectionState {
  /** It has delivered a message with its feed's credential. */
  authenticated: boolean;
  /** When it last sent a frame or was answered (the hub's monotonic clock, ms). */
  lastActive: number;
}

/**
 * One connection's messages, answered in arrival order. Frames that arrive while a group is being
 * stored wait, and form the next group; unreadable frames are answered AR in their turn. Before a
 * group starts it waits (at most GATHER_MS) until as many messages are waiting as the previous group
 * answered: a sender with a send window replaces each ACK with a new message, so the next group is
 * about as large; a sender that waits for each ACK (window 1) never waits here. A group starts only
 * once the connection's unread ACKs are below MAX_UNREAD_ANSWER_BYTES, and the socket is paused
 * while they, or the waiting messages, are above their bound (`regulate`).
 */
function connectionQueue(
  socket: Socket,
  ctx: ReceiveContext,
  state: ConnectionState,
  onIdle: (work: Promise<void>) => void,
): { push(frame: string): void; readonly busy: boolean; regulate(): void } {
  const waiting: string[] = [];
  let running = false;
  let closing = false;
  let held = false;
  let expected = 1;
  let refusedUnauthenticated = 0;
  let wake: (() => void) | null = null;
  const regulate = (): void => {
    if (socket.destroyed || closing) return;
    const over = waiting.length > MAX_WAITING_FRAMES || socket.writableLength > MAX_UNREAD_ANSWER_BYTES;
    if (over && !held) {
      held = true;
      socket.pause();
      ctx.logger.debug(
        { event: 'adt.connection-held', waiting: waiting.length, unread: socket.writableLength },
        'MLLP connection: reading paused',
      );
    } else if (!over && held) {
      held = false;
      socket.resume();
    }
  };
  socket.on('drain', regulate);
  /** Resolves once the connection's unread ACKs are below their bound (or it closed). */
  const readable = async (): Promise<void> => {
    while (!socket.destroyed && socket.writableLength > MAX_UNREAD_ANSWER_BYTES) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.once('drain', done);
        socket.once('close', done);
      });
    }
  };
  const close = (): void => {
    closing = true;
    waiting.length = 0;
    ctx.logger.warn(
      { event: 'adt.connection-closed', code: 'REFUSED_UNAUTHENTICATED', refusals: refusedUnauthenticated },
      'MLLP connection closed: its messages were refused for want of a credential',
    );
    // Its ACKs go first; a peer that does not read them is cut off KEEPALIVE_MS later.
    socket.pause();
    socket.end(() => socket.destroy());
    setTimeout(() => socket.destroy(), KEEPALIVE_MS).unref();
  };
  const answer = (answers: { ack: Hl7Message; authenticated: boolean }[]): void => {
    if (socket.destroyed || !socket.writable || answers.length === 0) return;
    state.lastActive = performance.now();
    for (const { authenticated } of answers) {
      if (authenticated) state.authenticated = true;
      else if (!state.authenticated) refusedUnauthenticated += 1;
    }
    const texts = answers.map(({ ack }) => ack.toString());
    // One write (one TLS record where it fits) for the group's ACKs, not one per ACK.
    socket.write(texts.length === 1 ? mllpFrame(texts[0]!) : Buffer.concat(texts.map(mllpFrame)));
    if (!state.authenticated && refusedUnauthenticated >= MAX_REFUSALS_UNAUTHENTICATED) close();
  };
  const gather = async (): Promise<void> => {
    // The store is synchronous (SQLite) and so is its commit: yield to the event loop first, so the
    // frames the socket already holds are read and join this group instead of waiting for the next.
    await new Promise((resolve) => setImmediate(resolve));
    if (waiting.length >= Math.min(expected, MAX_GROUP_MESSAGES) || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, GATHER_MS);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  };
  const drain = async (): Promise<void> => {
    await gather();
    while (waiting.length > 0 && !closing) {
      await readable();
      if (socket.destroyed) return;
      const frames = waiting.splice(0, MAX_GROUP_MESSAGES);
      const parsed = frames.map(parsedFrame);
      const answers: { ack: Hl7Message; authenticated: boolean }[] = [];
      let group: Hl7Message[] = [];
      const flush = async (): Promise<void> => {
        if (group.length === 0) return;
        answers.push(...(await receiveAdtMessages(ctx, group)));
        group = [];
      };
      for (const message of parsed) {
        if (message !== null) {
          group.push(message);
          continue;
        }
        await flush();
        ctx.logger.warn({ event: 'adt.refused', code: 'MALFORMED' }, 'ADT message refused');
        answers.push({ ack: unreadableAck(UNREADABLE), authenticated: false });
      }
      await flush();
      answer(answers);
      regulate();
      expected = frames.length;
      await gather();
    }
  };
  return {
    get busy() {
      return running || waiting.length > 0;
    },
    regulate,
    push(frame) {
      if (closing) return;
      state.lastActive = performance.now();
      waiting.push(frame);
      if (wake !== null && waiting.length >= Math.min(expected, MAX_GROUP_MESSAGES)) wake();
      if (running) return;
      running = true;
      const work = drain().finally(() => {
        running = false;
      });
      onIdle(work);
    },
  };
}

export interface MllpListenerOptions {
  readonly db: SqlDatabase;
  readonly logger: Logger;
  readonly port: number;
  readonly host: string;
  /** The hub's certificate and key; null only when IT chose plain MLLP (--mllp-plain). */
  readonly tls: { readonly certPem: string; readonly keyPem: string } | null;
  readonly clock?: () => Date;
  readonly duplicateRetentionDays?: number;
  /** Connections open at once; one more replaces an idle one, else is closed as it arrives (default DEFAULT_MLLP_MAX_CONNECTIONS). */
  readonly maxConnections?: number;
  /** A frame begun must end within this, or the connection is closed (default DEFAULT_MLLP_FRAME_DEADLINE_MS). */
  readonly frameDeadlineMs?: number;
}

export interface MllpListener {
  /** The port it listens on (the one given, or the one chosen for port 0). */
  readonly port: number;
  readonly tls: boolean;
  close(): Promise<void>;
}

/** Starts listening; resolves once the port is bound. */
export async function startMllpListener(options: MllpListenerOptions): Promise<MllpListener> {
  const clock = options.clock ?? (() => new Date());
  const retention = options.duplicateRetentionDays ?? DEFAULT_DUPLICATE_RETENTION_DAYS;
  const frameDeadlineMs = options.frameDeadlineMs ?? DEFAULT_MLLP_FRAME_DEADLINE_MS;
  const ctx = { db: options.db, clock, logger: options.logger };
  const maxConnections = options.maxConnections ?? DEFAULT_MLLP_MAX_CONNECTIONS;
  const sockets = new Set<Socket>();
  const idle = new Set<Promise<void>>();
  /**
   * Every connection open, by its TCP socket (before its TLS handshake too): `idle` says whether it
   * may give its place to a newcomer (not in a handshake, a frame or its messages).
   */
  interface Connection {
    readonly tcp: Socket;
    readonly state: ConnectionState;
    /** The socket messages are read from (the TLS one once its handshake is done); null before. */
    socket: Socket | null;
    idle: () => boolean;
  }
  const connections = new Map<Socket, Connection>();

  /** The connection a newcomer replaces: idle, never authenticated first, then idle the longest. */
  const replaceable = (): Connection | null => {
    let chosen: Connection | null = null;
    for (const connection of connections.values()) {
      if (!connection.idle()) continue;
      if (
        chosen === null ||
        (chosen.state.authenticated && !connection.state.authenticated) ||
        (chosen.state.authenticated === connection.state.authenticated && connection.state.lastActive < chosen.state.lastActive)
      ) {
        chosen = connection;
      }
    }
    return chosen;
  };

  /** Every TCP connection, as it arrives (before any TLS handshake): admitted within the cap. */
  const admit = (tcp: Socket): boolean => {
    if (connections.size >= maxConnections) {
      const replaced = replaceable();
      if (replaced === null) {
        options.logger.warn(
          { event: 'adt.connection-refused', maxConnections },
          'MLLP connection closed: the listener already has as many connections as it accepts, none idle',
        );
        tcp.destroy();
        return false;
      }
      options.logger.warn(
        { event: 'adt.connection-replaced', maxConnections, authenticated: replaced.state.authenticated },
        'MLLP connection closed: its idle place went to a new connection',
      );
      connections.delete(replaced.tcp);
      (replaced.socket ?? replaced.tcp).destroy();
      replaced.tcp.destroy();
    }
    tcp.setKeepAlive(true, KEEPALIVE_MS);
    const connection: Connection = { tcp, state: { authenticated: false, lastActive: performance.now() }, socket: null, idle: () => false };
    connections.set(tcp, connection);
    tcp.once('close', () => connections.delete(tcp));
    return true;
  };

  /** The connection record of a socket ready for messages (TLS: matched by its peer's address). */
  const connectionOf = (socket: Socket): Connection | undefined => {
    const direct = connections.get(socket);
    if (direct !== undefined) return direct;
    for (const connection of connections.values()) {
      if (
        connection.socket === null &&
        connection.tcp.remotePort === socket.remotePort &&
        connection.tcp.remoteAddress === socket.remoteAddress
      ) {
        return connection;
      }
    }
    return undefined;
  };

  const accept = (socket: Socket): void => {
    const connection = connectionOf(socket);
    if (connection === undefined) {
      // Its place was given to a newcomer during its handshake.
      socket.destroy();
      return;
    }
    connection.socket = socket;
    sockets.add(socket);
    const reader = new MllpFrameReader();
    const queue = connectionQueue(socket, ctx, connection.state, (work) => {
      idle.add(work);
      void work.finally(() => idle.delete(work));
    });
    connection.idle = () => !reader.isInsideFrame && !queue.busy;
    // The deadline of the frame begun and not yet ended (none between frames).
    let frameTimer: NodeJS.Timeout | null = null;
    const stopFrameTimer = (): void => {
      if (frameTimer !== null) clearTimeout(frameTimer);
      frameTimer = null;
    };
    socket.on('data', (chunk: Buffer) => {
      let frames: string[];
      try {
        frames = reader.push(chunk);
      } catch {
        options.logger.warn({ event: 'adt.refused', code: 'FRAME_TOO_LARGE' }, 'MLLP frame too large; connection closed');
        socket.destroy();
        return;
      }
      // A frame ended: the one open now (if any) is a new one, with a deadline of its own.
      if (frames.length > 0 || !reader.isInsideFrame) stopFrameTimer();
      if (reader.isInsideFrame && frameTimer === null) {
        frameTimer = setTimeout(() => {
          options.logger.warn({ event: 'adt.refused', code: 'FRAME_UNFINISHED' }, 'MLLP frame not finished in time; connection closed');
          socket.destroy();
        }, frameDeadlineMs);
      }
      for (const frame of frames) queue.push(frame);
      queue.regulate();
    });
    socket.on('error', (error: Error & { code?: string }) => {
      options.logger.debug({ event: 'adt.connection-error', code: error.code }, 'MLLP connection error');
    });
    socket.on('close', () => {
      stopFrameTimer();
      sockets.delete(socket);
      connections.delete(connection.tcp);
    });
  };

  const server: Server = options.tls
    ? createTlsServer(
        { cert: options.tls.certPem, key: options.tls.keyPem, minVersion: 'TLSv1.2', handshakeTimeout: frameDeadlineMs },
        accept,
      )
    : createTcpServer((socket) => {
        if (admit(socket)) accept(socket);
      });
  // TLS: admitted as the TCP connection arrives, before its handshake (which stops with the socket).
  if (options.tls) server.on('connection', admit);
  server.on('tlsClientError', () => options.logger.debug({ event: 'adt.tls-refused' }, 'MLLP TLS handshake refused'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  const purge = async (): Promise<void> => {
    try {
      const removed = await purgeDuplicateKeys(options.db, retention, clock());
      if (removed > 0) options.logger.info({ event: 'adt.duplicate-keys-purged', removed }, 'old ADT duplicate keys removed');
    } catch {
      options.logger.warn({ event: 'adt.duplicate-keys-purge-failed' }, 'old ADT duplicate keys could not be removed; retrying later');
    }
  };
  await purge();
  const timer = setInterval(() => void purge(), PURGE_INTERVAL_MS);
  timer.unref();
  options.logger.info({ event: 'adt.listening', port, tls: options.tls !== null }, 'MLLP listener started');

  return {
    port,
    tls: options.tls !== null,
    async close() {
      clearInterval(timer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Messages already received are answered before their connection closes.
      await Promise.allSettled([...idle]);
      for (const socket of sockets) socket.end(() => socket.destroy());
      await Promise.allSettled(
        [...sockets].map((socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())))),
      );
      await closed;
    },
  };
}
