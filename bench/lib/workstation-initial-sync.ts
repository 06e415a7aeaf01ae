// The workstation side of sync.bench.ts's initial sync, run as a process of its own the way the
// product runs it: bundled JavaScript in plain Node (as `wardline sync` and the app's main process
// run), without tsx, the hub, or the benchmark's own code in the same heap. On a data folder the
// parent enrolled: opens the vault, runs one sync cycle (the initial load), and records this
// process's peak resident memory at once; then measures the vault's own ingest rate (vault.bench.ts's
// ward, batches and store) in this same process, right after, and the ingest of the hub's own demo
// ward (the same ward the sync wrote, about three times vault.bench.ts's: a vault's write cost grows
// with its size). Prints one JSON line on stdout.
//   node <bundle> <dataDir>
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { createSyncEngine } from '../../electron/sync/index.js';
import { createVault, KeytarCustodian, openVault, wipeVault } from '../../electron/vault/index.js';
import type { Resource } from '../../shared/fhir/index.js';

export interface InitialSyncFigures {
  readonly written: number;
  readonly patients: number;
  readonly seconds: number;
  /** CPU time of this process during the sync (user + system). */
  readonly cpuSeconds: number;
  /** CPU time of its main thread alone (the thread that writes the vault) during the sync; null where unknown. */
  readonly mainThreadCpuSeconds: number | null;
  readonly rssBeforeMb: number;
  readonly peakRssMb: number;
  /** The vault's own ingest rate, res/s, measured right after in this process. */
  readonly vaultIngestRps: number;
  /** Its CPU time per resource (user + system), µs; the sync's is cpuSeconds / written. */
  readonly vaultIngestCpuUsPerResource: number;
  /** The vault's ingest rate, res/s, of the hub's demo ward itself (the resources the sync wrote). */
  readonly sameWardIngestRps: number;
  readonly sameWardIngestCpuUsPerResource: number;
  readonly sameWardResources: number;
}

/** The main thread's CPU time so far (user + system), s, from /proc (Linux); null elsewhere. */
function mainThreadCpuSeconds(): number | null {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in clock ticks (100 a second on Linux).
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Resources per transaction, as vault.bench.ts writes them. */
const INGEST_BATCH = 5_000;

interface IngestFigures {
  readonly rps: number;
  readonly cpuUsPerResource: number;
  readonly resources: number;
}

/** vault.bench.ts's ward: 30 patients, 14 days. */
async function vaultBenchWard(): Promise<readonly Resource[]> {
  const { generateWard } = await import('../../shared/synthetic/index.js');
  return generateWard({ seed: 'vault-bench', patients: 30, days: 14 }).resources;
}

/** The hub's demo ward as `wardline-hub serve --demo` seeds it for `patients` patients. */
async function demoWard(patients: number): Promise<readonly Resource[]> {
  const { generateWard } = await import('../../shared/synthetic/index.js');
  const { DEMO_HISTORY_DAYS, DEMO_SEED, DEMO_WARD, demoHour } = await import('../../server/demo/index.js');
  return generateWard({ seed: DEMO_SEED, patients, days: DEMO_HISTORY_DAYS, ward: { ...DEMO_WARD }, now: demoHour(new Date()) }).resources;
}

async function vaultIngest(custodian: KeytarCustodian, resources: readonly Resource[]): Promise<IngestFigures> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-bench-sync-ingest-'));
  const vault = await createVault({ dataDir: dir, custodian });
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let i = 0; i < resources.length; i += INGEST_BATCH) vault.resources.upsertMany(resources.slice(i, i + INGEST_BATCH));
    const rps = resources.length / ((performance.now() - started) / 1000);
    const used = process.cpuUsage(cpu);
    return { rps, cpuUsPerResource: (used.user + used.system) / resources.length, resources: resources.length };
  } finally {
    vault.close();
    await wipeVault({ dataDir: dir, custodian });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(dataDir: string): Promise<void> {
  const custodian = new KeytarCustodian();
  const logger = pino({ level: 'warn' }, pino.destination(2));
  const vault = await openVault({ dataDir, custodian, logger });
  const engine = createSyncEngine({ vault, dataDir, custodian, logger });
  let figures: Omit<
    InitialSyncFigures,
    'vaultIngestRps' | 'vaultIngestCpuUsPerResource' | 'sameWardIngestRps' | 'sameWardIngestCpuUsPerResource' | 'sameWardResources'
  >;
  try {
    const rssBeforeMb = process.memoryUsage().rss / 1048576;
    const cpu = process.cpuUsage();
    const mainCpu = mainThreadCpuSeconds();
    const started = performance.now();
    const summary = await engine.syncOnce();
    const mainCpuAfter = mainThreadCpuSeconds();
    const seconds = (performance.now() - started) / 1000;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const used = process.cpuUsage(cpu);
    figures = {
      written: summary.written,
      patients: summary.patients,
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      mainThreadCpuSeconds: mainCpu === null || mainCpuAfter === null ? null : mainCpuAfter - mainCpu,
      rssBeforeMb,
      peakRssMb,
    };
  } finally {
    await engine.close();
    vault.close();
  }
  const ingest = await vaultIngest(custodian, await vaultBenchWard());
  const sameWard = await vaultIngest(custodian, await demoWard(figures.patients));
  const result: InitialSyncFigures = {
    ...figures,
    vaultIngestRps: ingest.rps,
    vaultIngestCpuUsPerResource: ingest.cpuUsPerResource,
    sameWardIngestRps: sameWard.rps,
    sameWardIngestCpuUsPerResource: sameWard.cpuUsPerResource,
    sameWardResources: sameWard.resources,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: workstation-initial-sync <dataDir>');
await main(dataDir);
