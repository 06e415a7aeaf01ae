// Vault benchmark. Ingest: validated resources per second into the encrypted vault, beside the same
// ingest (same schema, same store code, same pragmas) into unencrypted SQLite, measured in the same
// run. Chart queries: summary and a 1-year heart-rate trend for a patient with 20,000+ observations.
// Open: an existing vault, its key from the real OS keystore (run under scripts/with-keyring.sh):
// vault.open as the workstation opens it (integrity check running in the background), and
// vault.open_checked with the full quick_check finished before openVault returns.
//   scripts/with-keyring.sh npx tsx bench/vault.bench.ts [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PlainDatabase from 'better-sqlite3';
import { createVault, KeytarCustodian, openVault, wipeVault, type Vault } from '../electron/vault/index.js';
import { migrate } from '../electron/vault/migration-runner.js';
import { createResourceStore, type ResourceStore } from '../electron/vault/resource-store.js';
import { CACHE_KIB, type Db } from '../electron/vault/sqlcipher-connection.js';
import { generatePatientHistory, generateWard } from '../shared/synthetic/index.js';
import { isJson, percentile, report } from './lib/report.js';

// Resources per transaction: the sync writes a hub page (or several) per transaction; bigger
// transactions rewrite the (randomly keyed) index pages fewer times.
const BATCH = 5_000;
const ROUNDS = 3;
const QUERY_RUNS = 300;
const OPEN_RUNS = 30;
const DAY_MS = 86_400_000;
const custodian = new KeytarCustodian();

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

function temporaryDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `wardline-bench-${label}-`));
}

interface IngestTime {
  readonly wallMs: number;
  /** CPU time of this process (all threads): on a shared machine, what the ingest itself costs. */
  readonly cpuMs: number;
}

function ingest(store: ResourceStore, resources: readonly unknown[]): IngestTime {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < resources.length; i += BATCH) store.upsertMany(resources.slice(i, i + BATCH));
  const used = process.cpuUsage(cpu);
  return { wallMs: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000 };
}

/** The same ingest into plain SQLite: same migrations, same store code, same pragmas, no cipher. */
function plainIngest(resources: readonly unknown[]): IngestTime {
  const dir = temporaryDir('plain');
  const db = new PlainDatabase(path.join(dir, 'plain.db'));
  try {
    db.pragma('journal_mode=WAL');
    db.pragma('synchronous=NORMAL');
    db.pragma('temp_store=MEMORY');
    db.pragma('secure_delete=ON');
    db.pragma('foreign_keys=ON');
    db.pragma(`cache_size=-${CACHE_KIB}`);
    const sameShape = db as unknown as Db;
    migrate(sameShape);
    return ingest(createResourceStore(sameShape), resources);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function vaultIngest(resources: readonly unknown[]): Promise<IngestTime> {
  const dir = temporaryDir('vault');
  const vault = await createVault({ dataDir: dir, custodian });
  try {
    return ingest(vault.resources, resources);
  } finally {
    vault.close();
    await wipeVault({ dataDir: dir, custodian });
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

function timings(runs: number, work: () => unknown): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    work();
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

async function main(): Promise<void> {
  log('generating a 30-patient ward (14 days) and a 400-day patient history…');
  const ward = generateWard({ seed: 'vault-bench', patients: 30, days: 14 });
  const history = generatePatientHistory({ seed: 'vault-bench', days: 400 });
  const wardResources = ward.resources;
  log(`ward: ${wardResources.length} resources; history: ${history.resources.length} resources`);

  plainIngest(wardResources); // warm-up: JIT for validation, row building and statements
  const plain: IngestTime[] = [];
  const encrypted: IngestTime[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    plain.push(plainIngest(wardResources));
    encrypted.push(await vaultIngest(wardResources));
  }
  const rate = (times: IngestTime[], pick: (t: IngestTime) => number): number => wardResources.length / (median(times.map(pick)) / 1000);
  const vaultRate = rate(encrypted, (t) => t.wallMs);
  const plainRate = rate(plain, (t) => t.wallMs);
  report('vault.ingest', vaultRate, 'res/s', '≥ 30000');
  report('sqlite.ingest', plainRate, 'res/s');
  report('vault.ingest_ratio', (vaultRate / plainRate) * 100, '%', '≥ 60');
  report(
    'vault.ingest_per_cpu_s',
    rate(encrypted, (t) => t.cpuMs),
    'res/cpu-s',
  );
  report(
    'sqlite.ingest_per_cpu_s',
    rate(plain, (t) => t.cpuMs),
    'res/cpu-s',
  );
  log(
    `load average during the run: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores`,
  );

  const dir = temporaryDir('queries');
  let vault: Vault | undefined = await createVault({ dataDir: dir, custodian, ward: ward.location.id! });
  try {
    ingest(vault.resources, wardResources);
    ingest(vault.resources, history.resources);
    const patientId = history.patient.id!;
    const observations = history.resources.filter((r) => r.resourceType === 'Observation').length;
    log(`query patient: ${observations} observations`);
    const nowMs = Date.parse('2026-01-15T08:00:00Z');
    const from = new Date(nowMs - 365 * DAY_MS).toISOString();
    const to = new Date(nowMs).toISOString();
    const open = vault;
    timings(20, () => open.patientSummary(patientId));
    const summary = timings(QUERY_RUNS, () => open.patientSummary(patientId));
    report('vault.summary_p50', median(summary), 'ms');
    report('vault.summary_p95', percentile(summary, 95), 'ms', '≤ 20');
    const points = open.observationTrend(patientId, '8867-4', from, to).length;
    log(`trend: ${points} heart-rate points in the year`);
    timings(20, () => open.observationTrend(patientId, '8867-4', from, to));
    const trend = timings(QUERY_RUNS, () => open.observationTrend(patientId, '8867-4', from, to));
    report('vault.trend_1y_p50', median(trend), 'ms');
    report('vault.trend_1y_p95', percentile(trend, 95), 'ms', '≤ 20');
    const census = timings(50, () => open.census());
    report('vault.census_p95', percentile(census, 95), 'ms');
    log(`vault: ${open.status().resources} resources`);
    vault.close();
    vault = undefined;

    const opensChecked: number[] = [];
    const opens: number[] = [];
    for (let i = 0; i < OPEN_RUNS; i += 1) {
      let start = process.hrtime.bigint();
      const checked = await openVault({ dataDir: dir, custodian });
      opensChecked.push(Number(process.hrtime.bigint() - start) / 1e6);
      checked.close();
      start = process.hrtime.bigint();
      const reopened = await openVault({ dataDir: dir, custodian, integrityCheck: 'background' });
      opens.push(Number(process.hrtime.bigint() - start) / 1e6);
      await reopened.integrity;
      reopened.close();
    }
    report('vault.open', median(opens), 'ms', '≤ 200');
    report('vault.open_p95', percentile(opens, 95), 'ms');
    report('vault.open_checked', median(opensChecked), 'ms');
    report('vault.open_checked_p95', percentile(opensChecked, 95), 'ms');
  } finally {
    vault?.close();
    await wipeVault({ dataDir: dir, custodian });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
