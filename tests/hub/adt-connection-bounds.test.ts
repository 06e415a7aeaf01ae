// What one connection to the MLLP port may hold, and who gets a place at the cap (docs/INTEGRATION.md
// "Connections"), through real sockets to the hub's listener:
// - a sender that never reads its ACKs is no longer read from (it cannot make the hub hold its
//   answers without bound); once it reads, every frame is answered, in order, and it is heard again;
// - a connection whose messages keep being refused for want of a feed's credential is closed;
// - every connection has TCP keepalive, so one whose peer vanished (a NAT forgot it) goes away;
// - at the cap a newcomer takes the place of an idle connection, a stranger's before one that
//   delivered messages, so dead or idle connections cannot lock the interface engine out.
// The engine is node-hl7-client over TLS; the strangers and the silent senders are plain sockets.
import { execFile } from 'node:child_process';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { promisify } from 'node:util';
import pino, { type Logger } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFeed, startMllpListener, type MllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { adtMessage, openHl7Sender } from '../support/hl7-sender.js';
import { seedGeneratedWard } from '../sync/sync-test-kit.js';

const now = new Date('2026-03-01T08:00:00Z');
const FLOOD = 100_000;

let hub: TestHub;
let secret: string;
let tls: { certPem: string; keyPem: string };
const listeners: MllpListener[] = [];

/** A logger that keeps only how many lines each event (and code) had, and who waits for one. */
function countingLogger(): { logger: Logger; count(key: string): number; once(key: string): Promise<void> } {
  const counts = new Map<string, number>();
  const waiters = new Map<string, (() => void)[]>();
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        const { event, code } = JSON.parse(line) as { event?: string; code?: string };
        for (const key of [event, `${event}:${code}`]) {
          if (key === undefined) continue;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          for (const wake of waiters.get(key) ?? []) wake();
          waiters.delete(key);
        }
      },
    },
  );
  return {
    logger,
    count: (key) => counts.get(key) ?? 0,
    once: (key) => new Promise((resolve) => waiters.set(key, [...(waiters.get(key) ?? []), resolve])),
  };
}

/** A raw MLLP peer: the MSA-1 and MSA-2 of every ACK it has read, and when the hub closed it. */
function peer(socket: Socket): {
  socket: Socket;
  acks: { code: string; controlId: string }[];
  acked(n: number): Promise<void>;
  closed: Promise<void>;
} {
  const acks: { code: string; controlId: string }[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let waiter: { n: number; resolve: () => void } | null = null;
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let end: number;
    while ((end = pending.indexOf('\x1c\r')) >= 0) {
      const text = pending.subarray(1, end).toString('utf8');
      pending = pending.subarray(end + 2);
      const msa = text
        .split('\r')
        .find((segment) => segment.startsWith('MSA|'))!
        .split('|');
      acks.push({ code: msa[1]!, controlId: msa[2]! });
    }
    if (waiter !== null && acks.length >= waiter.n) waiter.resolve();
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    acks,
    closed,
    acked: (n) =>
      acks.length >= n
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => (waiter = { n, resolve })),
            closed.then(() => Promise.reject(new Error(`closed after ${acks.length} ACKs`))),
          ]),
  };
}

const frame = (text: string): Buffer =>
  Buffer.concat([Buffer.from([0x0b]), Buffer.from(text.replace(/\n/g, '\r')), Buffer.from([0x1c, 0x0d])]);
const EMPTY_FRAME = Buffer.from([0x0b, 0x1c, 0x0d]);
const admit = (controlId: string, mrn: string, key = secret): Buffer =>
  frame(adtMessage({ secret: key, controlId, event: 'A01', at: '20260301075000', mrn, location: 'a^5^1', visit: `V-${mrn}` }));

async function listen(options: {
  tls: boolean;
  maxConnections?: number;
}): Promise<{ listener: MllpListener; log: ReturnType<typeof countingLogger> }> {
  const log = countingLogger();
  const listener = await startMllpListener({
    db: hub.db,
    logger: log.logger,
    port: 0,
    host: '127.0.0.1',
    tls: options.tls ? tls : null,
    clock: () => now,
    ...(options.maxConnections ? { maxConnections: options.maxConnections } : {}),
  });
  listeners.push(listener);
  return { listener, log };
}

const tcpPeer = async (port: number): Promise<ReturnType<typeof peer>> => {
  const socket = connectTcp({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return peer(socket);
};

/** A TLS peer; `secured` resolves at its handshake's end (never, when the hub closed it before). */
const tlsPeer = (port: number): ReturnType<typeof peer> & { secured: Promise<void> } => {
  const socket = connectTls({ host: '127.0.0.1', port, ca: tls.certPem, servername: 'localhost' });
  const secured = new Promise<void>((resolve) => socket.once('secureConnect', () => resolve()));
  return { ...peer(socket), secured };
};

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'adt-connection-bounds', patients: 1, days: 1 });
  ({ secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, now));
  tls = createDevCertificate();
}, 120_000);

afterAll(async () => {
  for (const listener of listeners) await listener.close();
  await hub?.stop();
});

describe('what one MLLP connection may hold', () => {
  it('stops reading a sender that does not read its ACKs, and answers every frame, in order, once it reads', async () => {
    const { listener, log } = await listen({ tls: false });
    const sender = await tcpPeer(listener.port);
    sender.socket.write(admit('HOLD-1', 'MRN7800001'));
    await sender.acked(1);
    expect(sender.acks[0]).toEqual({ code: 'AA', controlId: 'HOLD-1' });

    // It stops reading its ACKs and sends 100,000 empty frames (300 kB; each answer is ~225 bytes).
    sender.socket.pause();
    const held = log.once('adt.connection-held');
    sender.socket.write(Buffer.concat(Array.from({ length: FLOOD }, () => EMPTY_FRAME)));
    await held;
    // The hub stopped with far fewer answers than frames: the rest wait unread in the socket.
    expect(log.count('adt.refused:MALFORMED')).toBeLessThan(FLOOD / 2);

    // Once it reads, every frame is answered (AR, unreadable) in order, and it is heard again.
    sender.socket.resume();
    await sender.acked(1 + FLOOD);
    expect(sender.acks.slice(1).every((ack) => ack.code === 'AR')).toBe(true);
    sender.socket.write(admit('HOLD-2', 'MRN7800002'));
    await sender.acked(2 + FLOOD);
    expect(sender.acks.at(-1)).toEqual({ code: 'AA', controlId: 'HOLD-2' });
    expect(log.count('adt.connection-closed')).toBe(0);
    sender.socket.destroy();
  }, 120_000);

  it('closes a connection whose messages are refused for want of a credential; one that delivered messages stays', async () => {
    const { listener, log } = await listen({ tls: false });
    // A stranger without the secret: refused (AR 207) a few times, then the hub closes the connection.
    const stranger = await tcpPeer(listener.port);
    for (let index = 1; index <= 5; index += 1) stranger.socket.write(admit(`NOPE-${index}`, 'MRN7800003', 'not-the-secret'));
    await stranger.closed;
    expect(stranger.acks.length).toBeGreaterThan(0);
    expect(stranger.acks.every((ack) => ack.code === 'AR')).toBe(true);
    expect(log.count('adt.connection-closed:REFUSED_UNAUTHENTICATED')).toBe(1);

    // A flood of empty frames from a stranger who never reads is closed as well, not held for ever.
    const flood = await tcpPeer(listener.port);
    flood.socket.pause();
    const closed = log.once('adt.connection-closed');
    flood.socket.write(Buffer.concat(Array.from({ length: FLOOD }, () => EMPTY_FRAME)));
    await closed;
    // What it reads now ends with the hub's close.
    flood.socket.resume();
    await flood.closed;
    expect(log.count('adt.connection-closed:REFUSED_UNAUTHENTICATED')).toBe(2);
    expect(log.count('adt.refused:MALFORMED')).toBeLessThan(FLOOD / 2);

    // The engine's connection, once it delivered a message, is not closed for refusals after it.
    const engine = await tcpPeer(listener.port);
    engine.socket.write(admit('KEEP-1', 'MRN7800004'));
    await engine.acked(1);
    for (let index = 0; index < 10; index += 1) engine.socket.write(EMPTY_FRAME);
    engine.socket.write(admit('KEEP-2', 'MRN7800005'));
    await engine.acked(12);
    expect(engine.acks.map((ack) => ack.code)).toEqual(['AA', ...Array.from({ length: 10 }, () => 'AR'), 'AA']);
    engine.socket.destroy();
  }, 120_000);

  it('turns TCP keepalive on, so a connection whose peer vanished goes away', async () => {
    const { listener } = await listen({ tls: true });
    const quiet = tlsPeer(listener.port);
    await quiet.secured;
    quiet.socket.write(EMPTY_FRAME);
    await quiet.acked(1);
    // The hub's end of the connection (its local port is the listener's) has a keepalive timer.
    const { stdout } = await promisify(execFile)('ss', ['-tnoH', 'state', 'established', `( sport = :${listener.port} )`]);
    expect(stdout).toMatch(/timer:\(keepalive/);
    quiet.socket.destroy();
  });

  it('at the cap, gives the place of an idle connection to a newcomer: a stranger before one that delivered messages', async () => {
    const { listener, log } = await listen({ tls: true, maxConnections: 2 });
    // A connection that delivered a message and then fell silent (its peer is gone, say).
    const silent = tlsPeer(listener.port);
    await silent.secured;
    silent.socket.write(admit('CAP-1', 'MRN7800006'));
    await silent.acked(1);
    expect(silent.acks[0]!.code).toBe('AA');
    // A stranger's idle connection fills the cap.
    const stranger = tlsPeer(listener.port);
    await stranger.secured;
    // Answered once (AR, unreadable): the hub has it as a connection, idle between frames.
    stranger.socket.write(EMPTY_FRAME);
    await stranger.acked(1);
    // The engine gets in: the stranger's place is given to it, though the silent one is older.
    const engine = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
    try {
      await stranger.closed;
      expect(
        await engine.send(
          adtMessage({
            secret,
            controlId: 'CAP-2',
            event: 'A01',
            at: '20260301075100',
            mrn: 'MRN7800007',
            location: 'a^5^1',
            visit: 'V-MRN7800007',
          }),
        ),
      ).toMatchObject({
        code: 'AA',
        controlId: 'CAP-2',
      });
      // Another newcomer takes the place of the silent connection, idle the longest; the engine stays.
      const next = tlsPeer(listener.port);
      await next.secured;
      await silent.closed;
      expect(
        await engine.send(adtMessage({ secret, controlId: 'CAP-3', event: 'A08', at: '20260301075200', mrn: 'MRN7800007' })),
      ).toMatchObject({
        code: 'AA',
        controlId: 'CAP-3',
      });
      expect(log.count('adt.connection-replaced')).toBe(2);
      expect(log.count('adt.connection-refused')).toBe(0);
      next.socket.destroy();
    } finally {
      await engine.close();
    }
  }, 60_000);
});
