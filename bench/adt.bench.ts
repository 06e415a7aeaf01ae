// ADT feed benchmark: HL7 v2 ADT messages per second over ONE MLLP connection (TLS) against a real
// hub (`wardline-hub serve --mllp-port`) in a child process, SQLite store. Every ACK is checked to be
// AA for the right control id, in order, i.e. the message is applied and its commit synced to disk.
// Each synthetic patient is admitted (A01), moved to another bed (A02), updated (A08), discharged (A03).
//   adt.messages_rps: messages/s with a send window of 64 (the sender keeps up to 64 messages in
//     flight and reads their ACKs in order, as interface engines with a send window do; MLLP allows
//     it). The hub applies the messages waiting on the connection in one durable transaction (group
//     commit), each ACK still after its commit. Goal ≥ 2,000/s: the goal applies to this figure.
//   adt.strict_messages_rps: each message sent only after the previous one's ACK (window 1). Every
//     ACK waits for its own synced commit, so this can never pass the disk's fsync rate
//     (adt.fsync_baseline_rps); no goal.
//   adt.ack_p99_ms: the 99th percentile of send → ACK, strict (window 1).
//   adt.pipelined_ack_p99_ms: the same with the window of 64 (includes waiting behind the window).
//   adt.transfer_visible_ms: from an A02 transfer's ACK to the patient listed by the new ward's census
//     query (what its workstations ask on their next sync), the worst of 20 transfers. Goal: a
//     workstation shows the patient within 1 s plus one sync poll period.
//   adt.hub_cpu_ms_per_message: the hub process's CPU time (user + system, from /proc; Linux only)
//     per message over the pipelined run: the figure to compare on a busy machine, where the wall
//     clock mostly measures the other processes.
//   adt.fsync_baseline_rps: in the same run and folder, the disk's own rate of 4 KiB writes each
//     followed by fdatasync: the ceiling for any one-at-a-time durable write on this machine.
//   npx tsx bench/adt.bench.ts [--json]
// Env: ADT_BENCH_MESSAGES (pipelined, default 8,000), ADT_BENCH_STRICT_MESSAGES (default 1,000),
// ADT_BENCH_WINDOW (default 64), ADT_BENCH_CPU_PROFILE=DIR (writes the hub's V8 CPU profile there).
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { Agent, fetch } from 'undici';
import { putResources } from '../server/fhir/index.js';
import { createEnrollmentToken } from '../server/identity/index.js';
import { addFeed } from '../server/integration/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody } from '../shared/auth/index.js';
import type { Bundle, Location } from '../shared/fhir/index.js';
import { openBenchHubDatabase, startBenchHub } from './lib/hub-process.js';
import { isJson, percentile, report } from './lib/report.js';
import { hl7Time } from '../tests/support/hl7-time.js';

const MESSAGES = Number(process.env.ADT_BENCH_MESSAGES ?? 8_000);
const STRICT_MESSAGES = Number(process.env.ADT_BENCH_STRICT_MESSAGES ?? 1_000);
const WINDOW = Number(process.env.ADT_BENCH_WINDOW ?? 64);
const TRANSFERS = 20;
const WARM_UP = 200;
const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

function fsyncBaseline(dir: string, writes = 2_000): number {
  const file = path.join(dir, 'fsync-baseline');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const started = process.hrtime.bigint();
  for (let i = 0; i < writes; i++) {
    writeSync(fd, block);
    fdatasyncSync(fd);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  closeSync(fd);
  rmSync(file);
  return writes / seconds;
}

/** CPU seconds (user + system) a process has used so far, from /proc (null where there is none). */
function processCpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat (11 and 12 after the command name), in clock ticks.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** One MLLP connection: send a message, resolve with its ACK (ACKs come back in sending order). */
function mllpConnection(socket: TLSSocket): (text: string) => Promise<string> {
  let buffered: Buffer = Buffer.alloc(0);
  const waiting: ((ack: string) => void)[] = [];
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    for (;;) {
      const end = buffered.indexOf(FS);
      if (end < 0 || end + 1 >= buffered.length) break;
      const ack = buffered.subarray(buffered.indexOf(VT) + 1, end).toString('utf8');
      buffered = buffered.subarray(end + 2);
      waiting.shift()?.(ack);
    }
  });
  return (text) =>
    new Promise<string>((resolve) => {
      waiting.push(resolve);
      socket.write(Buffer.concat([Buffer.from([VT]), Buffer.from(text, 'utf8'), Buffer.from([FS, CR])]));
    });
}

/** Sends messages `from` … `to - 1` keeping at most `window` unanswered; each ACK's send → ACK time (ms). */
async function sendWindowed(
  send: (text: string) => Promise<string>,
  text: (n: number) => string,
  from: number,
  to: number,
  window: number,
): Promise<number[]> {
  const times: number[] = [];
  const inFlight = new Set<Promise<void>>();
  for (let n = from; n < to; n++) {
    const t0 = process.hrtime.bigint();
    const done = send(text(n)).then((ack) => {
      if (!new RegExp(`\\rMSA\\|AA\\|BENCH${n}(\\||\\r|$)`).test(ack)) {
        throw new Error(`message ${n} was not accepted in order: ${ack.split('\r')[1] ?? ack}`);
      }
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
    inFlight.add(done);
    void done.then(
      () => inFlight.delete(done),
      () => undefined,
    );
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return times;
}

/** The n-th message of the run: patient ⌊n/4⌋ goes through A01, A02, A08, A03. */
function message(n: number, secret: string, baseMs: number): string {
  const patient = Math.floor(n / 4);
  const step = n % 4;
  const event = (['A01', 'A02', 'A08', 'A03'] as const)[step];
  const at = hl7Time(baseMs + n * 1000);
  const mrn = `MRN8${String(patient).padStart(6, '0')}`;
  const bed = step === 0 ? `${(patient % 40) + 1}` : `${((patient + 7) % 40) + 1}`;
  const segments = [
    `MSH|^~\\&|BENCH|GENERAL|WARDLINE|HUB|${at}|${secret}|ADT^${event}^ADT_A01|BENCH${n}|P|2.5`,
    `EVN|${event}|${at}`,
    `PID|1||${mrn}^^^GENERAL^MR||Benchperson^Pat${patient}||19600101|U`,
    `PV1|1|I|demo^R${bed}^1||||||||||||||||V8${String(patient).padStart(6, '0')}`,
  ];
  return segments.join('\r');
}

/** A device of ward `demo`, enrolled and holding a token, as a workstation would. */
async function demoDeviceToken(url: string, dispatcher: Agent, enrollmentToken: string): Promise<string> {
  const keys = await generateDeviceKeyPair();
  const enrolled = await fetch(`${url}/auth/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken, publicKeyJwk: keys.publicKeyJwk }),
    dispatcher,
  });
  if (enrolled.status !== 201) throw new Error(`enrollment failed: ${enrolled.status}`);
  const { clientId, tokenUrl } = (await enrolled.json()) as { clientId: string; tokenUrl: string };
  const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl });
  const token = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(assertion),
    dispatcher,
  });
  if (token.status !== 200) throw new Error(`token request failed: ${token.status}`);
  return ((await token.json()) as { access_token: string }).access_token;
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-adt-bench-'));
const hub = await startBenchHub({
  dataDir,
  demoPatients: 1,
  mllp: true,
  ...(process.env.ADT_BENCH_CPU_PROFILE ? { cpuProfileDir: process.env.ADT_BENCH_CPU_PROFILE } : {}),
});
try {
  if (hub.mllpPort === null) throw new Error('the hub did not report its MLLP port');
  const db = await openBenchHubDatabase(dataDir);
  const { secret } = await addFeed(db, { name: 'bench', application: 'BENCH', facility: 'GENERAL' }, new Date());
  const otherWard: Location = { resourceType: 'Location', id: 'ward-bench2', status: 'active', name: 'Bench ward 2', mode: 'instance' };
  await putResources(db, [otherWard], new Date());
  const enrollmentToken = await createEnrollmentToken(db, { ward: 'demo' });
  await db.close();
  const socket = await new Promise<TLSSocket>((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port: hub.mllpPort!, ca: hub.ca, servername: 'localhost' }, () => resolve(s));
    s.once('error', reject);
  });
  socket.setNoDelay(true);
  const send = mllpConnection(socket);
  const baseMs = Date.UTC(2026, 0, 15, 8, 0, 0);
  const text = (n: number): string => message(n, secret, baseMs);
  await sendWindowed(send, text, 0, WARM_UP, 1);
  let next = WARM_UP;
  const strictStarted = process.hrtime.bigint();
  const strictTimes = await sendWindowed(send, text, next, next + STRICT_MESSAGES, 1);
  const strictSeconds = Number(process.hrtime.bigint() - strictStarted) / 1e9;
  next += STRICT_MESSAGES;
  // Rounded up to whole patients, so the pipelined run starts with an admit.
  next = Math.ceil(next / 4) * 4;
  await sendWindowed(send, text, next, next + WARM_UP, WINDOW);
  next += WARM_UP;
  const cpuBefore = processCpuSeconds(hub.child.pid);
  const started = process.hrtime.bigint();
  const times = await sendWindowed(send, text, next, next + MESSAGES, WINDOW);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuAfter = processCpuSeconds(hub.child.pid);
  next += MESSAGES;

  // Transfers into ward demo: from the ACK to the census query of ward demo listing the patient.
  const dispatcher = new Agent({ connect: { ca: hub.ca } });
  const token = await demoDeviceToken(hub.url, dispatcher, enrollmentToken);
  const visible: number[] = [];
  for (let t = 0; t < TRANSFERS; t++) {
    const at = hl7Time(baseMs + (next + t) * 1000);
    const mrn = `MRN7${String(t).padStart(6, '0')}`;
    const visit = `V7${String(t).padStart(6, '0')}`;
    const head = (event: string, n: string) =>
      `MSH|^~\\&|BENCH|GENERAL|WARDLINE|HUB|${at}|${secret}|ADT^${event}^ADT_A01|${n}|P|2.5\rEVN|${event}|${at}\rPID|1||${mrn}^^^GENERAL^MR||Benchperson^Moved||19600101|U`;
    const admitted = await send(`${head('A01', `MOVE-A${t}`)}\rPV1|1|I|bench2^1^${t + 1}||||||||||||||||${visit}`);
    if (!admitted.includes('\rMSA|AA|')) throw new Error('an admit to the second ward was not accepted');
    const moved = await send(`${head('A02', `MOVE-B${t}`)}\rPV1|1|I|demo^T${t + 1}^1||||||||||||||||${visit}`);
    const acked = process.hrtime.bigint();
    if (!moved.includes('\rMSA|AA|')) throw new Error('a transfer was not accepted');
    const census = await fetch(
      `${hub.url}/fhir/Encounter?location=Location/ward-demo&status=in-progress&_include=Encounter:patient&_count=1000`,
      {
        headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' },
        dispatcher,
      },
    );
    const bundle = (await census.json()) as Bundle;
    visible.push(Number(process.hrtime.bigint() - acked) / 1e6);
    const listed = (bundle.entry ?? []).some((entry) => JSON.stringify(entry.resource).includes(mrn));
    if (!listed) throw new Error('a transferred patient was not on the new ward census after the ACK');
  }
  await dispatcher.close();
  socket.destroy();
  log(`ADT messages over one MLLP/TLS connection, each ACKed (AA) after its durable commit`);
  log(`  pipelined: ${MESSAGES} messages, window ${WINDOW}; strict: ${STRICT_MESSAGES} messages, window 1`);
  report('adt.messages_rps', MESSAGES / seconds, 'msg/s', `≥ 2,000 (window ${WINDOW})`);
  report('adt.strict_messages_rps', STRICT_MESSAGES / strictSeconds, 'msg/s');
  report('adt.ack_p99_ms', percentile(strictTimes, 99), 'ms');
  report('adt.pipelined_ack_p99_ms', percentile(times, 99), 'ms');
  report('adt.transfer_visible_ms', Math.max(...visible), 'ms', '≤ 1,000 (plus one sync poll period on a workstation)');
  if (cpuBefore !== null && cpuAfter !== null) report('adt.hub_cpu_ms_per_message', ((cpuAfter - cpuBefore) * 1000) / MESSAGES, 'ms');
  report('adt.fsync_baseline_rps', fsyncBaseline(dataDir), 'writes/s');
} finally {
  await hub.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(`${dataDir}.dev-key`, { force: true });
}
