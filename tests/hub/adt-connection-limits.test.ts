// What a stranger who can reach the MLLP port may hold, as IT runs the hub (`wardline-hub serve
// --mllp-max-connections --mllp-frame-seconds`, docs/INTEGRATION.md "Connections"): anyone can
// connect before any credential is checked, so a frame begun and never finished is closed at its
// deadline; past the cap a newcomer takes an idle stranger's place, and is closed as it arrives when
// no connection is idle. The interface engine's one long-lived connection, idle between messages far
// longer than the frame deadline, keeps working.
// The engine is a third-party client (node-hl7-client) over TLS; the stranger is a plain TLS socket.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect, type TLSSocket } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubCli } from '../support/hub-cli.js';
import { adtMessage, openHl7Sender } from '../support/hl7-sender.js';
import { hl7Calendar } from '../support/hl7-time.js';

const EMPTY_FRAME = Buffer.from([0x0b, 0x1c, 0x0d]);
const root = fileURLToPath(new URL('../..', import.meta.url));

const cli = hubCli;
/** The events' times: on one day in the past, whatever today is (the hub refuses events ahead of its clock). */
const at = hl7Calendar();

/** A TLS connection to the listener; `closed` resolves when the hub (or the network) ends it. */
function stranger(port: number, caPem: string): { socket: TLSSocket; closed: Promise<void> } {
  const socket = connect({ host: '127.0.0.1', port, ca: caPem, servername: 'localhost' });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, closed };
}

describe('wardline-hub serve --mllp-max-connections --mllp-frame-seconds', () => {
  let folder: string;
  let child: ChildProcess | undefined;
  const stdout: string[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-adt-limits-'));
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child!.on('exit', () => resolve());
        child!.kill('SIGINT');
      });
    }
    await rm(folder, { recursive: true, force: true });
    await rm(`${join(folder, 'data')}.dev-key`, { force: true });
  });

  it("closes an unfinished frame at its deadline, gives an idle stranger's place past the cap, and keeps the engine's idle connection working", async () => {
    const data = join(folder, 'data');
    child = spawn(
      process.execPath,
      [
        join(root, 'bin/wardline-hub.js'),
        'serve',
        '--dev-tls',
        '--demo',
        '1',
        '--port',
        '0',
        '--mllp-port',
        '0',
        '--mllp-max-connections',
        '2',
        '--mllp-frame-seconds',
        '1',
        '--data',
        data,
        '--log-level',
        'warn',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child!.stdout! }).on('line', (line) => {
        stdout.push(line);
        if (line.startsWith('Press Ctrl-C')) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    });
    const port = Number(/on port (\d+)$/.exec(stdout.find((line) => line.startsWith('HL7 v2 ADT feed (MLLP over TLS')) ?? '')?.[1]);
    expect(port).toBeGreaterThan(0);
    const added = await cli(['feed', 'add', 'ehr', '--application', 'EHR', '--facility', 'GENERAL', '--data', data]);
    expect(added.code).toBe(0);
    const secret = /shown only now\): (\S+)$/m.exec(added.out)![1]!;
    const caPem = await readFile(join(data, 'dev-tls', 'hub-cert.pem'), 'utf8');

    /** A stranger who begins a frame and never ends it (answered once first: the hub has read it). */
    const slowStranger = async (): Promise<ReturnType<typeof stranger>> => {
      const slow = stranger(port, caPem);
      const answered = new Promise<void>((resolve) => slow.socket.once('data', () => resolve()));
      await new Promise<void>((resolve) => slow.socket.once('secureConnect', () => resolve()));
      slow.socket.write(Buffer.concat([EMPTY_FRAME, Buffer.from([0x0b]), Buffer.from('MSH|^~\\&|EHR|GENERAL|WARDLINE|HUB|2026011508')]));
      await answered;
      return slow;
    };
    /** A stranger's connection, idle between frames (answered once: the hub has it). */
    const idleStranger = async (): Promise<ReturnType<typeof stranger>> => {
      const idle = stranger(port, caPem);
      const answered = new Promise<void>((resolve) => idle.socket.once('data', () => resolve()));
      await new Promise<void>((resolve) => idle.socket.once('secureConnect', () => resolve()));
      idle.socket.write(EMPTY_FRAME);
      await answered;
      return idle;
    };

    // Two strangers each begin a frame and never end it: the cap of 2 is full, none idle.
    const slow = [await slowStranger(), await slowStranger()];
    // A third connection is past the cap, with no idle connection to replace: closed as it arrives.
    const third = stranger(port, caPem);
    let thirdSecured = false;
    third.socket.once('secureConnect', () => (thirdSecured = true));
    await third.closed;
    expect(thirdSecured).toBe(false);
    // The unfinished frames are closed at their deadline.
    await Promise.all(slow.map((each) => each.closed));

    // The interface engine: one connection, kept open.
    const engine = await openHl7Sender({ port, caPem });
    try {
      const admit = { secret, event: 'A01', at: at('081000'), mrn: 'MRN9200001', location: 'demo^1^2', visit: 'V9200001' } as const;
      expect(await engine.send(adtMessage({ ...admit, controlId: 'LIM-1' }))).toMatchObject({ code: 'AA', controlId: 'LIM-1' });

      // A stranger's idle connection fills the cap; a newcomer takes its place, not the engine's.
      const idle = await idleStranger();
      const newcomer = await slowStranger();
      await idle.closed;
      // The newcomer's unfinished frame is closed at its deadline.
      await newcomer.closed;

      // The engine, idle all that while (longer than the frame deadline), is still heard.
      const update = { secret, event: 'A08', at: at('091000'), mrn: 'MRN9200001', family: 'Limitson' } as const;
      expect(await engine.send(adtMessage({ ...update, controlId: 'LIM-2' }))).toMatchObject({ code: 'AA', controlId: 'LIM-2' });
      // With the stranger gone, a second connection is taken again.
      const next = stranger(port, caPem);
      await new Promise<void>((resolve) => next.socket.once('secureConnect', () => resolve()));
      next.socket.end();
      await next.closed;
    } finally {
      await engine.close();
    }

    const usage = await cli(['serve', '--dev-tls', '--mllp-frame-seconds', '5', '--data', data]);
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/go with --mllp-port/);
    const zero = await cli(['serve', '--dev-tls', '--mllp-port', '0', '--mllp-max-connections', '0', '--data', data]);
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/--mllp-max-connections takes a whole number of at least 1/);
  }, 120_000);
});
