// Hub benchmark, against a real hub in a child process (its own event loop) over loopback HTTPS:
//   hub.initial_load_s / hub.initial_load_rps: one workstation's initial load of the 40-patient
//     demo ward (census with _include, then Patient/$everything per patient following next links,
//     every page parsed), as DESIGN's wire protocol says. Goal ≤ 10 s. The hub's and this client's
//     CPU time per resource during the load are printed beside it (steadier on a busy machine).
//   hub.poll_rps / hub.poll_p99_ms: 1,000 enrolled devices (real enrollment, real ES384 client
//     assertions, real hub tokens) polling GET /fhir/Observation/_history?_since=<now> with no
//     changes, with autocannon rotating the 1,000 tokens. Goal ≥ 3,000 req/s, p99 ≤ 50 ms.
//   hub.baseline_metadata_rps: GET /fhir/metadata (no token, no database) in the same run, for scale.
//   npx tsx bench/hub.bench.ts [--json]
// Env: HUB_BENCH_CONNECTIONS (default 16), HUB_BENCH_SECONDS (default 15), HUB_BENCH_CPU_PROFILE=DIR
// (writes the hub's V8 CPU profile there, for tuning).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody } from '../shared/auth/index.js';
import type { Bundle } from '../shared/fhir/index.js';
import { createEnrollmentToken } from '../server/identity/index.js';
import { openBenchHubDatabase, startBenchHub } from './lib/hub-process.js';
import { isJson, report } from './lib/report.js';

const DEVICES = 1_000;
const PATIENTS = 40;
const POLL_CONNECTIONS = Number(process.env.HUB_BENCH_CONNECTIONS ?? 16);
const POLL_SECONDS = Number(process.env.HUB_BENCH_SECONDS ?? 15);
const LOAD_CONCURRENCY = 4;
const PAGE_SIZE = 1000;

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

type Fetch = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<{ status: number; text: string }>;

function fetcher(ca: string): { fetch: Fetch; agent: Agent } {
  const agent = new Agent({ ca, keepAlive: true, maxSockets: 64 });
  const fetch: Fetch = (url, init = {}) =>
    new Promise((resolve, reject) => {
      const req = request(url, { method: init.method ?? 'GET', headers: init.headers ?? {}, agent }, (res) => {
        // The body lands in one buffer of the announced length (else its chunks are joined), then is
        // decoded as UTF-8 once, as a workstation's client does.
        const length = Number(res.headers['content-length'] ?? NaN);
        const whole = Number.isSafeInteger(length) ? Buffer.allocUnsafe(length) : null;
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          if (whole) whole.set(chunk.subarray(0, Math.max(0, whole.length - received)), received);
          else chunks.push(chunk);
          received += chunk.length;
        });
        res.on('end', () => {
          if (whole && received !== whole.length) return reject(new Error(`a body of ${received} bytes, announced as ${whole.length}`));
          resolve({ status: res.statusCode ?? 0, text: (whole ?? Buffer.concat(chunks)).toString('utf8') });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (init.body !== undefined) req.write(init.body);
      req.end();
    });
  return { fetch, agent };
}

/** CPU time (user + system, ms) the process `pid` has used so far, from /proc (Linux); null elsewhere. */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
const CLOCK_TICKS_PER_SECOND = 100;

function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

async function inBatches<T>(count: number, parallel: number, work: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await work(index);
      }
    }),
  );
  return results;
}

/** Enrolls a device through POST /auth/enroll and gets its token from POST /auth/token. */
async function enrolledDeviceToken(fetch: Fetch, url: string, enrollmentToken: string): Promise<string> {
  const keys = await generateDeviceKeyPair();
  const enrolled = await fetch(`${url}/auth/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken, publicKeyJwk: keys.publicKeyJwk }),
  });
  if (enrolled.status !== 201) throw new Error(`enrollment failed: ${enrolled.status} ${enrolled.text}`);
  const { clientId, tokenUrl } = JSON.parse(enrolled.text) as { clientId: string; tokenUrl: string };
  const assertion = await createClientAssertion({ privateKey: keys.privateKey, clientId, tokenUrl });
  const token = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(assertion),
  });
  if (token.status !== 200) throw new Error(`token request failed: ${token.status} ${token.text}`);
  return (JSON.parse(token.text) as { access_token: string }).access_token;
}

async function getBundle(fetch: Fetch, url: string, token: string): Promise<Bundle> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json' } });
  if (response.status !== 200) throw new Error(`GET failed: ${response.status} ${response.text.slice(0, 300)}`);
  return JSON.parse(response.text) as Bundle;
}

/** Census + $everything per patient, following next links; returns [resources, requests]. */
async function initialLoad(fetch: Fetch, url: string, token: string): Promise<{ resources: number; requests: number }> {
  let requests = 1;
  const census = await getBundle(
    fetch,
    `${url}/fhir/Encounter?location=Location/ward-demo&status=in-progress&_include=Encounter:patient&_count=${PAGE_SIZE}`,
    token,
  );
  const patientIds = (census.entry ?? []).filter((e) => e.resource?.resourceType === 'Patient').map((e) => e.resource!.id!);
  if (patientIds.length !== PATIENTS) throw new Error(`the census lists ${patientIds.length} patients, expected ${PATIENTS}`);
  const counts = await inBatches(patientIds.length, LOAD_CONCURRENCY, async (index) => {
    let next: string | undefined = `${url}/fhir/Patient/${patientIds[index]}/$everything?_count=${PAGE_SIZE}`;
    let resources = 0;
    while (next) {
      const page: Bundle = await getBundle(fetch, next, token);
      requests++;
      resources += page.entry?.length ?? 0;
      next = page.link?.find((link) => link.relation === 'next')?.url;
    }
    return resources;
  });
  return { resources: counts.reduce((a, b) => a + b, 0), requests };
}

async function pollBench(url: string, ca: string, tokens: readonly string[], path: string, seconds: number): Promise<autocannon.Result> {
  let turn = 0;
  const instance = autocannon({
    url: `${url}${path}`,
    connections: POLL_CONNECTIONS,
    duration: seconds,
    tlsOptions: { ca },
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, accept: 'application/fhir+json', authorization: `Bearer ${tokens[turn++ % tokens.length]}` },
        }),
      },
    ],
  });
  return instance;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-bench-hub-'));
  log(`starting the hub with a ${PATIENTS}-patient demo ward (data in ${dataDir}) …`);
  const hub = await startBenchHub({
    dataDir,
    demoPatients: PATIENTS,
    ...(process.env.HUB_BENCH_CPU_PROFILE ? { cpuProfileDir: process.env.HUB_BENCH_CPU_PROFILE } : {}),
  });
  const { ca } = hub;
  const { fetch, agent } = fetcher(ca);
  const db = await openBenchHubDatabase(dataDir);
  try {
    log(`enrolling ${DEVICES} devices through /auth/enroll and /auth/token …`);
    const enrollmentTokens: string[] = [];
    for (let i = 0; i < DEVICES; i++) enrollmentTokens.push(await createEnrollmentToken(db, { ward: 'demo' }));
    const tokens = await inBatches(DEVICES, 16, (i) => enrolledDeviceToken(fetch, hub.url, enrollmentTokens[i]!));

    log('initial load of one workstation …');
    const hubCpuBefore = processCpuMs(hub.child.pid);
    const clientCpuBefore = ownCpuMs();
    const started = process.hrtime.bigint();
    const load = await initialLoad(fetch, hub.url, tokens[0]!);
    const ended = process.hrtime.bigint();
    const seconds = Number(ended - started) / 1e9;
    const hubCpuAfter = processCpuMs(hub.child.pid);
    const clientCpuMs = ownCpuMs() - clientCpuBefore;
    if (load.resources < 80_000) throw new Error(`the initial load returned ${load.resources} resources, fewer than 80,000`);
    log(`  ${load.resources} resources in ${load.requests} requests`);
    // CPU time per resource: comparable across runs on a busy machine, where wall time is not.
    const hubCpuMs = hubCpuBefore === null || hubCpuAfter === null ? null : hubCpuAfter - hubCpuBefore;
    log(
      `  CPU per resource: hub ${hubCpuMs === null ? '?' : ((hubCpuMs * 1000) / load.resources).toFixed(1)} µs, workstation ${((clientCpuMs * 1000) / load.resources).toFixed(1)} µs` +
        ` (load from ${started / 1000n} to ${ended / 1000n} µs of the monotonic clock, to cut CPU profiles)`,
    );
    report('hub.initial_load_s', seconds, 's', '≤ 10 s');
    report('hub.initial_load_rps', load.resources / seconds, 'res/s');

    const checkpoint = (
      await getBundle(fetch, `${hub.url}/fhir/Observation/_history?_since=${encodeURIComponent(new Date().toISOString())}`, tokens[1]!)
    ).meta!.lastUpdated!;
    const pollPath = `/fhir/Observation/_history?_since=${encodeURIComponent(checkpoint)}`;
    const probe = await getBundle(fetch, `${hub.url}${pollPath}`, tokens[2]!);
    if ((probe.entry ?? []).length !== 0) throw new Error('the poll is expected to find no changes');
    log(`polling with ${DEVICES} device tokens over ${POLL_CONNECTIONS} connections for ${POLL_SECONDS} s …`);
    await pollBench(hub.url, ca, tokens, pollPath, 3); // warm-up: JIT, TLS sessions, token caches
    const poll = await pollBench(hub.url, ca, tokens, pollPath, POLL_SECONDS);
    const failures = poll.non2xx + poll.errors + poll.timeouts;
    if (failures > 0) log(`  ${poll.non2xx} non-2xx, ${poll.errors} errors, ${poll.timeouts} timeouts`);
    report('hub.poll_rps', poll.requests.average, 'req/s', '≥ 3,000');
    report('hub.poll_p99_ms', poll.latency.p99, 'ms', '≤ 50');
    report('hub.poll_failed_requests', failures, 'requests', '0');

    const baseline = await autocannon({ url: `${hub.url}/fhir/metadata`, connections: POLL_CONNECTIONS, duration: 5, tlsOptions: { ca } });
    report('hub.baseline_metadata_rps', baseline.requests.average, 'req/s');
  } finally {
    agent.destroy();
    await db.close();
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}.dev-key`, { force: true });
  }
}

await main();
