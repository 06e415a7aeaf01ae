// Issue 17: "ACK only after a durable write — a crash after the ACK loses nothing". A real
// `wardline-hub serve --mllp-port` process (TLS, SQLCipher) receives a pipelined burst of admits on
// one MLLP connection and is killed with SIGKILL the moment it has acknowledged some of them. After
// a restart on the same data folder, every admission it acknowledged is on the ward census (read
// over HTTPS by an enrolled device); the interface engine then re-sends the whole burst, as it does
// for messages it holds no ACK for, and every patient is on the census exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { connect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Patient } from '../../shared/fhir/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody } from '../../shared/auth/index.js';
import { adtMessage } from '../support/hl7-sender.js';
import { hl7Time } from '../support/hl7-time.js';
import { hubCli } from '../support/hub-cli.js';
import { httpsFetchTrusting } from '../support/https-fetch.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MESSAGES = 1_500;
const TRIALS = 3;

interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  readonly mllpPort: number;
}

let folder: string;
let data: string;
let served: Served | null = null;

const cli = hubCli;

async function serve(extra: string[]): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin/wardline-hub.js'),
      'serve',
      '--dev-tls',
      ...extra,
      '--port',
      '0',
      '--mllp-port',
      '0',
      '--data',
      data,
      '--log-level',
      'warn',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('Press Ctrl-C')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${lines.join('\n')}`)));
  });
  const url = /listening on (https:\/\/\S+)/.exec(lines.find((line) => line.includes('listening on https://')) ?? '')?.[1];
  const mllpPort = Number(/on port (\d+)$/.exec(lines.find((line) => line.startsWith('HL7 v2 ADT feed (MLLP over TLS')) ?? '')?.[1]);
  if (!url || !(mllpPort > 0)) throw new Error(`serve printed no address: ${lines.join('\n')}`);
  return { child, url, mllpPort };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function stopGently(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

/**
 * Writes every frame at once on one MLLP-over-TLS connection and collects the ACKs (MSA-1, MSA-2) as
 * they come; `onAck` may kill the hub. Resolves when all are acknowledged or the connection ends.
 */
function sendBurst(
  port: number,
  caPem: string,
  frames: readonly Buffer[],
  onAck: (acked: number) => void = () => undefined,
): Promise<Array<{ code: string; controlId: string }>> {
  return new Promise((resolve) => {
    const acks: Array<{ code: string; controlId: string }> = [];
    let buffered = '';
    const socket = connect({ host: '127.0.0.1', port, ca: caPem }, () => {
      for (const frame of frames) socket.write(frame);
    });
    const done = (): void => {
      socket.destroy();
      resolve(acks);
    };
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      let end: number;
      while ((end = buffered.indexOf('\x1c\r')) >= 0) {
        const message = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const msa = /(?:^|\r)MSA\|(\w+)\|([^|\r]+)/.exec(message);
        if (msa) {
          acks.push({ code: msa[1]!, controlId: msa[2]! });
          onAck(acks.length);
        }
      }
      if (acks.length === frames.length) done();
    });
    socket.once('error', done);
    socket.once('close', done);
  });
}

/** The MRNs of the in-patients on the demo ward's census, with how often each is listed. */
async function censusMrns(url: string, caPem: string): Promise<Map<string, number>> {
  const { fetch, close } = httpsFetchTrusting(caPem);
  try {
    const enrollmentToken = (await cli(['token', '--ward', 'demo', '--data', data])).out.trim();
    const keys = await generateDeviceKeyPair();
    const enrolled = await fetch(`${url}/auth/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enrollmentToken, publicKeyJwk: keys.publicKeyJwk }),
    });
    expect(enrolled.status).toBe(201);
    const { clientId, tokenUrl } = (await enrolled.json()) as { clientId: string; tokenUrl: string };
    const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl, now: new Date() });
    const issued = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(assertion),
    });
    expect(issued.status).toBe(200);
    const auth = {
      authorization: `Bearer ${((await issued.json()) as { access_token: string }).access_token}`,
      accept: 'application/fhir+json',
    };
    const counts = new Map<string, number>();
    let next: string | undefined =
      `${url}/fhir/Encounter?location=Location/ward-demo&status=in-progress&_include=Encounter:patient&_count=500`;
    while (next) {
      const page = await fetch(next, { headers: auth });
      expect(page.status).toBe(200);
      const bundle = (await page.json()) as Bundle;
      for (const entry of bundle.entry ?? []) {
        if (entry.resource?.resourceType !== 'Patient') continue;
        for (const identifier of (entry.resource as Patient).identifier ?? []) {
          if (identifier.value?.startsWith('MRNCRASH')) counts.set(identifier.value, (counts.get(identifier.value) ?? 0) + 1);
        }
      }
      next = bundle.link?.find((link) => link.relation === 'next')?.url;
    }
    return counts;
  } finally {
    close();
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'wardline-adt-crash-'));
  data = join(folder, 'data');
}, 30_000);

afterAll(async () => {
  if (served) await stopGently(served.child);
  await rm(folder, { recursive: true, force: true });
  await rm(`${data}.dev-key`, { force: true });
});

describe('a hub killed right after acknowledging ADT messages', () => {
  it(
    `keeps every admission it acknowledged, over ${TRIALS} kills, and a full re-send applies each once`,
    { timeout: 600_000 },
    async () => {
      served = await serve(['--demo', '1']);
      const added = await cli(['feed', 'add', 'ehr', '--application', 'EHR', '--facility', 'GENERAL', '--data', data]);
      expect(added.code, added.err).toBe(0);
      const secret = /shown only now\): (\S+)$/m.exec(added.out)![1]!;
      const caPem = await readFile(join(data, 'dev-tls', 'hub-cert.pem'), 'utf8');
      // A day ago: every event in the past whatever today is (the hub refuses events ahead of its clock).
      const firstEventMs = Date.now() - 86_400_000;

      for (let trial = 0; trial < TRIALS; trial++) {
        const mrn = (i: number): string => `MRNCRASH${trial}${String(i).padStart(3, '0')}`;
        const frames = Array.from({ length: MESSAGES }, (_, i) =>
          Buffer.from(
            `\x0b${adtMessage({
              secret,
              controlId: `CRASH-${trial}-${i}`,
              event: 'A01',
              at: hl7Time(firstEventMs + 4 * trial * 3_600_000 + i * 1000),
              mrn: mrn(i),
              family: 'Crashova',
              location: `demo^${10_000 * (trial + 1) + i}^1`,
              visit: `VCRASH${trial}${i}`,
            }).replace(/\n/g, '\r')}\x1c\r`,
          ),
        );
        // Killed at the moment the k-th ACK arrives, k from 1 to MESSAGES / 3, a different point each trial
        // (the burst takes the hub a while, so the kill lands while it is still reading and writing).
        const killAt = 1 + Math.floor(Math.random() * (MESSAGES / 3));
        const victim = served.child;
        let killed: Promise<void> | null = null;
        const acks = await sendBurst(served.mllpPort, caPem, frames, (count) => {
          if (count === killAt) killed = killHard(victim);
        });
        await (killed ?? killHard(victim));
        const acknowledged = acks.filter((ack) => ack.code === 'AA').map((ack) => ack.controlId);
        expect(
          acks.every((ack) => ack.code === 'AA'),
          JSON.stringify(acks),
        ).toBe(true);
        // (ACKs may come in groups, so more than killAt may have arrived before the kill landed.)
        expect(acknowledged.length).toBeGreaterThanOrEqual(killAt);

        served = await serve([]);
        const afterCrash = await censusMrns(served.url, caPem);
        for (const controlId of acknowledged) {
          const index = Number(controlId.split('-')[2]);
          expect(afterCrash.get(mrn(index)), `${controlId} was acknowledged before the kill`).toBe(1);
        }

        // The sender re-sends the whole burst: every message is acknowledged, each admission listed once.
        const again = await sendBurst(served.mllpPort, caPem, frames);
        expect(again.map((ack) => ack.code)).toEqual(Array.from({ length: MESSAGES }, () => 'AA'));
        const afterResend = await censusMrns(served.url, caPem);
        for (let i = 0; i < MESSAGES; i++) expect(afterResend.get(mrn(i)), mrn(i)).toBe(1);
      }
    },
  );
});
