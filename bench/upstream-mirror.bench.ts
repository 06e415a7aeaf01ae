// Upstream mirror benchmark: the hub's initial pull of a ward from an upstream EHR over loopback
// HTTPS, with SMART Backend Services, as `serve --upstream` runs it (the mirror's own cycle: census,
// per-type searches with paging, the catch-up poll, writes through the hub's store into an
// encrypted SQLite file).
//   upstream.initial_pull_rps: resources written per second by a first cycle into an empty hub,
//     with the upstream answering at memory speed (each search's answer recorded by the cold run
//     below and replayed, over the same HTTPS, token and paging). Goal ≥ 20,000 res/s.
//   upstream.initial_pull_cpu_rps: the same resources per second of this process's CPU time (all
//     threads: the hub's, its checkpoint worker's, and the test upstream's, which runs in this
//     process), steadier than wall time on a shared machine.
//   upstream.initial_pull_cold_rps: the same pull when Medplum's in-memory engine answers each
//     search itself (it scans its whole repository per search and per page, so this measures the
//     engine more than the hub); upstream.engine_search_s: the time the engine spent.
//   upstream.store_write_rps: the hub store's own write path alone, for comparison: the same
//     resources written by writeExternalVersions, as many per transaction as the full pull writes
//     (FULL_PULL_BATCH), into an empty encrypted file, no HTTP. The pull cannot be faster than this.
//   upstream.resources: how many resources the pull wrote.
// The upstream is the test one (tests/support/upstream-fhir-server.ts) in this same process, loaded
// with the seeded synthetic ward (UPSTREAM_BENCH_PATIENTS, default 10, 30 days each).
//   npx tsx bench/upstream-mirror.bench.ts [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import pino from 'pino';
import type { Resource } from '@medplum/fhirtypes';
import { migrateHub } from '../server/app.js';
import { writeExternalVersions } from '../server/fhir/index.js';
import { createUpstreamMirror, FULL_PULL_BATCH, UPSTREAM_DEFAULTS, type UpstreamConfig } from '../server/integration/index.js';
import { newHubKey, openHubDatabase } from '../server/storage/index.js';
import { generateWard } from '../shared/synthetic/index.js';
import { startUpstreamFhirServer } from '../tests/support/upstream-fhir-server.js';
import { isJson, report } from './lib/report.js';

const PATIENTS = Number(process.env.UPSTREAM_BENCH_PATIENTS ?? 10);
const WARD = { id: 'bench', name: 'Bench Ward' };

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

const upstream = await startUpstreamFhirServer();
const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-upstream-bench-'));

/** One first cycle into a fresh hub database: resources written, seconds, and the process's CPU seconds. */
async function pullIntoFreshHub(config: UpstreamConfig, name: string): Promise<{ written: number; seconds: number; cpuSeconds: number }> {
  const db = await openHubDatabase({ sqlitePath: path.join(dir, `${name}.sqlite`), hubKey: { current: newHubKey() } });
  await migrateHub(db);
  const mirror = await createUpstreamMirror({
    db,
    config,
    logger: pino({ level: process.env.UPSTREAM_BENCH_LOG ?? 'silent' }, pino.destination(2)),
  });
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const cycle = await mirror.runCycle();
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    if (!cycle.ok) throw new Error('the mirror cycle failed');
    return { written: cycle.written, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    await mirror.stop();
    await db.close();
  }
}

/** The same resources through the store's write path alone: resources written and seconds. */
async function writeIntoFreshHub(
  resources: Parameters<typeof writeExternalVersions>[1],
  perTransaction: number,
): Promise<{ written: number; seconds: number }> {
  const db = await openHubDatabase({ sqlitePath: path.join(dir, 'store.sqlite'), hubKey: { current: newHubKey() } });
  await migrateHub(db);
  try {
    let written = 0;
    const started = performance.now();
    for (let i = 0; i < resources.length; i += perTransaction) {
      const result = await writeExternalVersions(db, resources.slice(i, i + perTransaction), new Date(), (incoming) => incoming);
      written += result.written;
    }
    return { written, seconds: (performance.now() - started) / 1000 };
  } finally {
    await db.close();
  }
}

try {
  const ward = generateWard({ seed: 'upstream-bench', patients: PATIENTS, days: 30, ward: WARD, now: new Date().toISOString() });
  for (const resource of ward.resources) await upstream.repo.updateResource(resource as Resource);
  log(`upstream loaded: ${ward.resources.length} resources, ${PATIENTS} patients`);
  // Past the mirror's _lastUpdated overlap: the catch-up poll finds nothing new, as on a quiet upstream.
  await sleep(UPSTREAM_DEFAULTS.overlapMs + 1000);

  const keys = await generateKeyPair('ES384', { extractable: true });
  upstream.registerClient('bench-hub', { ...(await exportJWK(keys.publicKey)), alg: 'ES384' });
  const config: UpstreamConfig = {
    ...UPSTREAM_DEFAULTS,
    baseUrl: upstream.baseUrl,
    clientId: 'bench-hub',
    privateKeyPem: await exportPKCS8(keys.privateKey),
    caPem: upstream.caPem,
    wards: [{ ward: WARD.id, location: `Location/ward-${WARD.id}` }],
  };

  upstream.replayReads(true);
  const engineBefore = upstream.engineMs();
  const cold = await pullIntoFreshHub(config, 'cold');
  const engineSeconds = (upstream.engineMs() - engineBefore) / 1000;
  const warm = await pullIntoFreshHub(config, 'warm');
  const store = await writeIntoFreshHub(ward.resources, FULL_PULL_BATCH);

  report('upstream.resources', warm.written, 'res');
  report('upstream.initial_pull_s', warm.seconds, 's');
  report('upstream.initial_pull_rps', warm.written / warm.seconds, 'res/s', '≥ 20,000');
  report('upstream.initial_pull_cpu_rps', warm.written / warm.cpuSeconds, 'res/cpu-s');
  report('upstream.store_write_rps', store.written / store.seconds, 'res/s');
  report('upstream.initial_pull_cold_rps', cold.written / cold.seconds, 'res/s');
  report('upstream.engine_search_s', engineSeconds, 's');
} finally {
  await upstream.stop();
  rmSync(dir, { recursive: true, force: true });
}
