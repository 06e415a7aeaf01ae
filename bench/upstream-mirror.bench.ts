// Upstream mirror benchmark: the hub's initial pull of a ward from an upstream EHR over loopback
// HTTPS, with SMART Backend Services, as `serve --upstream` runs it (the mirror's own cycle: census,
// per-type searches with paging, the catch-up poll, writes through the hub's store into an
// encrypted SQLite file).
//   upstream.initial_pull_rps: resources written per second by a first cycle into an empty hub,
//     with the upstream answering at memory speed (each search's answer recorded by the cold run
//     below and replayed, over the same HTTPS, token and paging). Goal ≥ 20,000 res/s.
//   upstream.initial_pull_cpu_rps: the same resources per second of the hub's CPU time (this
//     process, all threads: the hub's, its page worker's and its checkpoint worker's), steadier
//     than wall time on a shared machine.
//   upstream.pull_hub_thread_us: CPU µs per resource of the hub's thread during that pull, split into
//     upstream.pull_writing_us (the same on the store's write path alone, store_write below) and
//     upstream.pull_reading_us (the rest: HTTPS, the window, the pull's bookkeeping). Since the
//     mirror's pages are parsed, validated and prepared on its page worker (session 11) and the
//     store path alone still prepares on this thread, the pull's thread can cost less than the
//     store path alone: pull_reading_us is then negative.
//   upstream.pull_other_threads_us: the hub's other threads (the page worker that reads the chart
//     pages, the checkpoint worker, the garbage collector's helpers);
//     upstream.test_upstream_us: the test upstream's process (replaying its answers over HTTPS).
//   upstream.hub_peak_rss_mb: the peak resident memory of this process (the hub's side) by the end of
//     the two pulls.
//   upstream.initial_pull_cold_rps: the same pull when Medplum's in-memory engine answers each
//     search itself (it scans its whole repository per search and per page, so this measures the
//     engine more than the hub); upstream.engine_search_s: the time the engine spent.
//   upstream.store_write_rps: the hub store's own write path alone, for comparison: the same
//     resources written by writeExternalVersions, as many per transaction as the full pull writes
//     (FULL_PULL_BATCH), into an empty encrypted file, no HTTP. The pull cannot be faster than this.
//   upstream.resources: how many resources the pull wrote.
// The upstream is the test one (tests/support/upstream-fhir-server.ts) in a process of its own
// (tests/support/upstream-fhir-process.ts), as an EHR is another machine, over loopback HTTPS; loaded
// with the seeded synthetic ward (UPSTREAM_BENCH_PATIENTS, default 10, 30 days each). The hub's side
// runs in this process, under the Node.js options the hub is started with (server/cli/node-options.ts).
//   npx tsx bench/upstream-mirror.bench.ts [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import pino from 'pino';
import { migrateHub } from '../server/app.js';
import { writeExternalVersions } from '../server/fhir/index.js';
import { createUpstreamMirror, FULL_PULL_BATCH, UPSTREAM_DEFAULTS, type UpstreamConfig } from '../server/integration/index.js';
import { newHubKey, openHubDatabase } from '../server/storage/index.js';
import { generateWard, type GenerateWardOptions } from '../shared/synthetic/index.js';
import { startUpstreamFhirProcess } from '../tests/support/upstream-fhir-process.js';
import { runUnderHubNodeOptions } from './lib/hub-node-options.js';
import { isJson, report } from './lib/report.js';

runUnderHubNodeOptions();

const PATIENTS = Number(process.env.UPSTREAM_BENCH_PATIENTS ?? 10);
const WARD = { id: 'bench', name: 'Bench Ward' };

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

/** CPU time of the calling thread (the hub's, here) so far, in µs (Linux); undefined elsewhere. */
function threadCpuMicros(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1000;
  } catch {
    return undefined;
  }
}

/** The peak resident memory of this process so far, in MB (Linux); undefined elsewhere. */
function peakRssMbOfThisProcess(): number | undefined {
  try {
    const kib = /VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU µs of this process (all threads) and of the hub's thread, while `work` runs. */
async function cpuDuring<T>(work: () => Promise<T>): Promise<{ result: T; processMicros: number; threadMicros: number | undefined }> {
  const cpu = process.cpuUsage();
  const thread = threadCpuMicros();
  const result = await work();
  const used = process.cpuUsage(cpu);
  const threadAfter = threadCpuMicros();
  return {
    result,
    processMicros: used.user + used.system,
    threadMicros: thread === undefined || threadAfter === undefined ? undefined : threadAfter - thread,
  };
}

const upstream = await startUpstreamFhirProcess();
const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-upstream-bench-'));

interface Run {
  readonly written: number;
  readonly seconds: number;
  /** CPU µs of the hub's process (all threads) and of its own thread. */
  readonly processMicros: number;
  readonly threadMicros: number | undefined;
  /** CPU µs of the test upstream's process. */
  readonly upstreamMicros: number;
}

/** One first cycle into a fresh hub database. */
async function pullIntoFreshHub(config: UpstreamConfig, name: string): Promise<Run> {
  const db = await openHubDatabase({ sqlitePath: path.join(dir, `${name}.sqlite`), hubKey: { current: newHubKey() } });
  await migrateHub(db);
  const mirror = await createUpstreamMirror({
    db,
    config,
    logger: pino({ level: process.env.UPSTREAM_BENCH_LOG ?? 'silent' }, pino.destination(2)),
  });
  try {
    const upstreamBefore = await upstream.cpuMicros();
    const started = performance.now();
    const { result: cycle, processMicros, threadMicros } = await cpuDuring(() => mirror.runCycle());
    const seconds = (performance.now() - started) / 1000;
    const upstreamMicros = (await upstream.cpuMicros()) - upstreamBefore;
    if (!cycle.ok) throw new Error('the mirror cycle failed');
    return { written: cycle.written, seconds, processMicros, threadMicros, upstreamMicros };
  } finally {
    await mirror.stop();
    await db.close();
  }
}

/** The same resources through the store's write path alone. */
async function writeIntoFreshHub(
  resources: Parameters<typeof writeExternalVersions>[1],
  perTransaction: number,
): Promise<Omit<Run, 'upstreamMicros'>> {
  const db = await openHubDatabase({ sqlitePath: path.join(dir, 'store.sqlite'), hubKey: { current: newHubKey() } });
  await migrateHub(db);
  try {
    const started = performance.now();
    const {
      result: written,
      processMicros,
      threadMicros,
    } = await cpuDuring(async () => {
      let count = 0;
      for (let i = 0; i < resources.length; i += perTransaction) {
        const result = await writeExternalVersions(db, resources.slice(i, i + perTransaction), new Date(), (incoming) => incoming);
        count += result.written;
      }
      return count;
    });
    return { written, seconds: (performance.now() - started) / 1000, processMicros, threadMicros };
  } finally {
    await db.close();
  }
}

try {
  const wardOptions: GenerateWardOptions = {
    seed: 'upstream-bench',
    patients: PATIENTS,
    days: 30,
    ward: WARD,
    now: new Date().toISOString(),
  };
  const ward = generateWard(wardOptions);
  const loaded = await upstream.loadWard(wardOptions);
  log(`upstream loaded: ${loaded} resources, ${PATIENTS} patients`);
  // Past the mirror's _lastUpdated overlap: the catch-up poll finds nothing new, as on a quiet upstream.
  await sleep(UPSTREAM_DEFAULTS.overlapMs + 1000);

  const keys = await generateKeyPair('ES384', { extractable: true });
  await upstream.registerClient('bench-hub', { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
  const config: UpstreamConfig = {
    ...UPSTREAM_DEFAULTS,
    baseUrl: upstream.baseUrl,
    clientId: 'bench-hub',
    privateKeyPem: await exportPKCS8(keys.privateKey),
    caPem: upstream.caPem,
    wards: [{ ward: WARD.id, location: `Location/ward-${WARD.id}` }],
  };

  await upstream.replayReads(true);
  const engineBefore = await upstream.engineMs();
  const cold = await pullIntoFreshHub(config, 'cold');
  const engineSeconds = ((await upstream.engineMs()) - engineBefore) / 1000;
  const warm = await pullIntoFreshHub(config, 'warm');
  const peakRssMb = peakRssMbOfThisProcess();
  const store = await writeIntoFreshHub(ward.resources, FULL_PULL_BATCH);

  report('upstream.resources', warm.written, 'res');
  report('upstream.initial_pull_s', warm.seconds, 's');
  report('upstream.initial_pull_rps', warm.written / warm.seconds, 'res/s', '≥ 20,000');
  report('upstream.initial_pull_cpu_rps', warm.written / (warm.processMicros / 1e6), 'res/cpu-s');
  if (warm.threadMicros !== undefined && store.threadMicros !== undefined) {
    const pullThread = warm.threadMicros / warm.written;
    const storeThread = store.threadMicros / store.written;
    report('upstream.pull_hub_thread_us', pullThread, 'µs/res');
    report('upstream.pull_writing_us', storeThread, 'µs/res');
    report('upstream.pull_reading_us', pullThread - storeThread, 'µs/res');
    report('upstream.pull_other_threads_us', (warm.processMicros - warm.threadMicros) / warm.written, 'µs/res');
  }
  report('upstream.test_upstream_us', warm.upstreamMicros / warm.written, 'µs/res');
  if (peakRssMb !== undefined) report('upstream.hub_peak_rss_mb', peakRssMb, 'MB');
  report('upstream.store_write_rps', store.written / store.seconds, 'res/s');
  report('upstream.initial_pull_cold_rps', cold.written / cold.seconds, 'res/s');
  report('upstream.engine_search_s', engineSeconds, 's');
} finally {
  await upstream.stop();
  rmSync(dir, { recursive: true, force: true });
}
