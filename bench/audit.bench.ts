// Audit benchmark: the audit log on this machine's disk, and its upload to a real hub.
//   audit.append_p99_ms / audit.append_rps: durable appends (record(): one entry, committed with
//     synchronous=FULL, i.e. flushed to disk, before it returns), one after another on one thread.
//     Goals: p99 ≤ 5 ms, ≥ 2,000/s.
//   audit.fsync_baseline_rps: in the same run and directory, the disk's own rate of 4 KiB writes
//     each followed by fdatasync: the ceiling for any durable one-at-a-time append on this machine.
//   audit.append_census_rps: entries/s when a census records its 30 query entries in one commit
//     (recordAll), as the host does.
//   audit.upload_rps: entries/s uploaded to a hub in a child process over loopback HTTPS, in batches
//     of 1,000 (the uploader's default; the hub limits a device to 50 requests/s), including the signed
//     checkpoint. Goal ≥ 5,000. audit.upload_per_cpu_s: the same entries per CPU-second spent by the
//     hub and the workstation together (what the upload costs, whatever else the machine runs).
//   audit.downtime_backlog_entries / audit.downtime_backlog_s: what a busy ward workstation records
//     during a 4-hour downtime (below), and how long after the hub is back it takes to reach it:
//     every entry acknowledged and the signed checkpoint stored. Goal ≤ 10 s.
//   npx tsx bench/audit.bench.ts [--json]   (needs an OS keystore: npm run bench wraps it)
// Env: AUDIT_BENCH_APPENDS (default 5,000), AUDIT_BENCH_UPLOAD (default 20,000), AUDIT_BENCH_CPU_PROFILE=DIR
// (writes the hub's V8 CPU profile there).
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { Agent, request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import {
  AuditUploader,
  deviceKeySigner,
  openAuditLog,
  type AuditLog,
  type AuditTransport,
  type HubAnswer,
  type NewAuditEntry,
} from '../electron/audit/index.js';
import { createKeytarCustodian, keyNameFor } from '../electron/vault/index.js';
import { createEnrollmentToken } from '../server/identity/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody } from '../shared/auth/index.js';
import { openBenchHubDatabase, startBenchHub } from './lib/hub-process.js';
import { isJson, percentile, report } from './lib/report.js';

const APPENDS = Number(process.env.AUDIT_BENCH_APPENDS ?? 5_000);
const WARM_UP = 500;
const UPLOAD = Number(process.env.AUDIT_BENCH_UPLOAD ?? 20_000);
const CENSUS = 30;
/**
 * A 4-hour downtime on a busy 40-patient ward workstation, per hour: a census refresh every minute
 * that shows something new (30 query entries each), every patient's chart opened 12 times, 80
 * documentations (vital signs, administrations) and 60 session events (sign-in, lock, unlock).
 */
const DOWNTIME_HOURS = 4;
const PATIENTS = 40;
const BACKLOG_PER_HOUR = { censusRefreshes: 60, chartReadsPerPatient: 12, documentations: 80, sessionEvents: 60 };
const custodian = createKeytarCustodian();

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

const read = (n: number): NewAuditEntry => ({
  action: 'chart-read',
  user: `u-${n % 12}`,
  session: 's-bench',
  patient: `p-${n % 40}`,
  resources: [`Patient/p-${n % 40}`],
  purposeOfUse: 'TREAT',
  detail: { view: 'summary' },
});

function appendBench(auditLog: AuditLog): { p99: number; rps: number } {
  for (let i = 0; i < WARM_UP; i += 1) auditLog.record(read(i));
  const times: number[] = [];
  const started = process.hrtime.bigint();
  for (let i = 0; i < APPENDS; i += 1) {
    const t0 = process.hrtime.bigint();
    auditLog.record(read(i));
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { p99: percentile(times, 99), rps: APPENDS / seconds };
}

function fsyncBaseline(dir: string): number {
  const fd = openSync(path.join(dir, 'fsync-baseline.bin'), 'w');
  const page = Buffer.alloc(4096, 7);
  try {
    for (let i = 0; i < 1_000; i += 1) writeSync(fd, page, 0, page.length, i * page.length);
    fdatasyncSync(fd);
    const started = process.hrtime.bigint();
    for (let i = 0; i < APPENDS; i += 1) {
      writeSync(fd, page, 0, page.length, (i % 1_000) * page.length);
      fdatasyncSync(fd);
    }
    return APPENDS / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    closeSync(fd);
  }
}

function censusBench(auditLog: AuditLog): number {
  const rounds = Math.max(20, Math.floor(APPENDS / CENSUS / 2));
  const census = Array.from({ length: CENSUS }, (_, i): NewAuditEntry => ({
    action: 'query',
    user: 'u-1',
    session: 's-bench',
    patient: `p-${i}`,
    query: 'Encounter?location=Location/ward-demo&status=in-progress',
    detail: { results: CENSUS },
  }));
  const started = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) auditLog.recordAll(census);
  return (rounds * CENSUS) / (Number(process.hrtime.bigint() - started) / 1e9);
}

type Post = (url: string, body: string, headers: Record<string, string>) => Promise<HubAnswer>;

function poster(agent: Agent): Post {
  return (url, body, headers) =>
    new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: res.statusCode ?? 0, body: text === '' ? null : (JSON.parse(text) as unknown) });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function ownCpuSeconds(): number {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1e6;
}

/** How many of `perHour` events fall in this minute of the hour (spread evenly). */
function due(perHour: number, minute: number): number {
  return Math.floor(((minute + 1) * perHour) / 60) - Math.floor((minute * perHour) / 60);
}

/** What the workstation records during the downtime, in the groups the host commits them in. */
function recordDowntime(auditLog: AuditLog): number {
  const before = auditLog.head().sequence;
  const hour = BACKLOG_PER_HOUR;
  for (let h = 0; h < DOWNTIME_HOURS; h += 1) {
    for (let minute = 0; minute < 60; minute += 1) {
      for (let i = 0; i < due(hour.censusRefreshes, minute); i += 1) {
        auditLog.recordAll(
          Array.from({ length: CENSUS }, (_, i): NewAuditEntry => ({
            action: 'query',
            user: `u-${minute % 12}`,
            session: `s-${h}`,
            patient: `p-${i}`,
            query: 'Encounter?location=Location/ward-demo&status=in-progress',
            detail: { results: CENSUS },
          })),
        );
      }
      for (let i = 0; i < due(PATIENTS * hour.chartReadsPerPatient, minute); i += 1) auditLog.record(read(minute * 100 + i));
      for (let i = 0; i < due(hour.documentations, minute); i += 1) {
        auditLog.record({
          action: 'create',
          user: `u-${i % 12}`,
          session: `s-${h}`,
          patient: `p-${(minute + i) % PATIENTS}`,
          resources: [`Observation/b-${h}-${minute}-${i}`],
          purposeOfUse: 'TREAT',
        });
      }
      for (let i = 0; i < due(hour.sessionEvents, minute); i += 1) {
        auditLog.record({ action: (minute + i) % 2 === 0 ? 'lock' : 'unlock', user: `u-${minute % 12}`, session: `s-${h}` });
      }
    }
  }
  return auditLog.head().sequence - before;
}

interface HubLink {
  readonly uploader: AuditUploader;
  readonly hubPid: number;
}

async function withHub(workDir: string, auditLog: AuditLog, work: (link: HubLink) => Promise<void>): Promise<void> {
  const hubDir = path.join(workDir, 'hub');
  log('starting the hub in a child process …');
  const hub = await startBenchHub({
    dataDir: hubDir,
    ...(process.env.AUDIT_BENCH_CPU_PROFILE ? { cpuProfileDir: process.env.AUDIT_BENCH_CPU_PROFILE } : {}),
  });
  const agent = new Agent({ ca: hub.ca, keepAlive: true, maxSockets: 4 });
  const post = poster(agent);
  const db = await openBenchHubDatabase(hubDir);
  try {
    const keys = await generateDeviceKeyPair();
    const enrollmentToken = await createEnrollmentToken(db, { ward: 'demo' });
    const enrolled = await post(`${hub.url}/auth/enroll`, JSON.stringify({ enrollmentToken, publicKeyJwk: keys.publicKeyJwk }), {
      'content-type': 'application/json',
    });
    if (enrolled.status !== 201) throw new Error(`enrollment failed: ${enrolled.status}`);
    const { clientId, tokenUrl } = enrolled.body as { clientId: string; tokenUrl: string };
    const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl });
    const token = await post(tokenUrl, tokenRequestBody(assertion), { 'content-type': 'application/x-www-form-urlencoded' });
    if (token.status !== 200) throw new Error(`token request failed: ${token.status}`);
    const bearer = `Bearer ${(token.body as { access_token: string }).access_token}`;
    const transport: AuditTransport = {
      postBundle: (bundleJson) =>
        post(`${hub.url}/fhir`, bundleJson, {
          authorization: bearer,
          'content-type': 'application/fhir+json',
          accept: 'application/fhir+json',
          prefer: 'return=minimal',
        }),
      postCheckpoint: (jws) =>
        post(`${hub.url}/audit/checkpoint`, JSON.stringify({ jws }), { authorization: bearer, 'content-type': 'application/json' }),
    };
    const uploader = new AuditUploader({ log: auditLog, transport, deviceId: clientId, signer: deviceKeySigner(keys.privateKey) });
    await work({ uploader, hubPid: hub.child.pid! });
  } finally {
    agent.destroy();
    await db.close();
    await hub.stop();
  }
}

/** Uploads everything pending: seconds until the hub acknowledged it all and stored the checkpoint, and the CPU both sides spent. */
async function timedUpload(auditLog: AuditLog, link: HubLink): Promise<{ sent: number; seconds: number; cpuSeconds: number }> {
  const pending = auditLog.queue.pendingCount();
  const hubBefore = cpuSecondsOf(link.hubPid);
  const ownBefore = ownCpuSeconds();
  const started = process.hrtime.bigint();
  const result = await link.uploader.upload();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const hubCpu = cpuSecondsOf(link.hubPid) - hubBefore;
  const ownCpu = ownCpuSeconds() - ownBefore;
  const cpuSeconds = hubCpu + ownCpu;
  log(`  ${pending} entries in ${seconds.toFixed(1)} s; CPU: hub ${hubCpu.toFixed(1)} s, workstation ${ownCpu.toFixed(1)} s`);
  if (
    result.sent !== pending ||
    result.remaining !== 0 ||
    result.hubAcknowledged !== auditLog.head().sequence ||
    result.checkpointMatches !== true
  ) {
    throw new Error(`the upload did not complete: ${JSON.stringify(result)}`);
  }
  return { sent: result.sent, seconds, cpuSeconds };
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-bench-audit-'));
  const dataDir = path.join(workDir, 'workstation');
  const auditLog = await openAuditLog({ dataDir, custodian });
  try {
    log(`${APPENDS} durable appends after ${WARM_UP} to warm up …`);
    const append = appendBench(auditLog);
    report('audit.append_p99_ms', append.p99, 'ms', '≤ 5');
    report('audit.append_rps', append.rps, 'entries/s', '≥ 2,000');
    report('audit.fsync_baseline_rps', fsyncBaseline(workDir), 'fsync/s');
    report('audit.append_census_rps', censusBench(auditLog), 'entries/s');
    const missing = UPLOAD - auditLog.head().sequence;
    for (let done = 0; done < missing; done += 1_000) {
      auditLog.recordAll(Array.from({ length: Math.min(1_000, missing - done) }, (_, i) => read(done + i)));
    }
    await withHub(workDir, auditLog, async (link) => {
      log(`uploading ${auditLog.queue.pendingCount()} entries …`);
      const upload = await timedUpload(auditLog, link);
      report('audit.upload_rps', upload.sent / upload.seconds, 'entries/s', '≥ 5,000');
      report('audit.upload_per_cpu_s', upload.sent / upload.cpuSeconds, 'entries/cpu-s');
      const backlog = recordDowntime(auditLog);
      log(`the hub is back after a ${DOWNTIME_HOURS}-hour downtime: ${backlog} entries waiting …`);
      const catchUp = await timedUpload(auditLog, link);
      report('audit.downtime_backlog_entries', backlog, 'entries');
      report('audit.downtime_backlog_s', catchUp.seconds, 's', '≤ 10');
    });
  } finally {
    auditLog.close();
    await custodian.destroy(keyNameFor(dataDir, 'audit')).catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
