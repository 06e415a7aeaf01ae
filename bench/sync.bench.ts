// Sync benchmark: a workstation (this process) against a real hub in a child process (its own
// event loop and core), over loopback HTTPS with the pin, as enrolled through /auth/enroll.
//   sync.initial_s / sync.initial_rps: the first sync of the 40-patient demo ward (≥ 80,000
//     resources: census, $everything per patient with next links, every resource validated and
//     written to the encrypted vault, history walks). Goal ≤ 10 s, ≥ 8,000 res/s.
//   sync.initial_peak_rss_mb: this process's peak resident memory during it. Goal ≤ 200 MB.
//   sync.initial_vs_vault_ingest: sync.initial_rps over the vault's own ingest rate measured right
//     after it in this process (vault.bench.ts's ward, batches and store), so both see the same
//     machine load. Goal ≥ 0.8: the initial load is bounded by how fast the vault can write.
//   sync.noop_cycle_ms (p50, p95): a cycle with nothing to do. Goal ≤ 50 ms. Cycles are spaced so
//     the hub's per-device rate limit (50 req/s) is not what is measured.
//   sync.change_visible_ms: one resource changed on the hub (written into its store by the feed) is
//     in the vault this long after a cycle starts (the cycle's duration, an upper bound). Goal ≤ 1 s.
//   scripts/with-keyring.sh npx tsx bench/sync.bench.ts [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { putResources } from '../server/fhir/index.js';
import type { Observation } from '../shared/fhir/index.js';
import { createSyncEngine, enrollWorkstation, logAuditSink } from '../electron/sync/index.js';
import { createVault, KeytarCustodian, keyNameFor, openVault, wipeVault } from '../electron/vault/index.js';
import { generateWard } from '../shared/synthetic/index.js';
import { openBenchHubDatabase, startBenchHub } from './lib/hub-process.js';
import { isJson, percentile, report } from './lib/report.js';

const PATIENTS = 40;
const NOOP_CYCLES = 30;
const CHANGE_CYCLES = 10;
/** 16 requests a cycle at most 2.5 cycles a second stays under the hub's 50 requests/s per device. */
const CYCLE_SPACING_MS = 400;

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Resources per transaction, as vault.bench.ts writes them. */
const INGEST_BATCH = 5_000;

/** The vault's own ingest rate (vault.bench.ts's ward into a fresh vault), in this process, now. */
async function vaultIngestRate(custodian: KeytarCustodian): Promise<number> {
  const resources = generateWard({ seed: 'vault-bench', patients: 30, days: 14 }).resources;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-bench-sync-ingest-'));
  const vault = await createVault({ dataDir: dir, custodian });
  try {
    const started = performance.now();
    for (let i = 0; i < resources.length; i += INGEST_BATCH) vault.resources.upsertMany(resources.slice(i, i + INGEST_BATCH));
    const rate = resources.length / ((performance.now() - started) / 1000);
    log(`  the vault's own ingest, same process, right after: ${Math.round(rate)} res/s`);
    return rate;
  } finally {
    vault.close();
    await wipeVault({ dataDir: dir, custodian });
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const hubDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-bench-sync-hub-'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-bench-sync-ws-'));
  const custodian = new KeytarCustodian();
  const logger = pino({ level: 'warn' });
  log(`starting the hub with the ${PATIENTS}-patient demo ward …`);
  const hub = await startBenchHub({ dataDir: hubDir, demoPatients: PATIENTS, host: '127.0.0.1' });
  try {
    await enrollWorkstation({
      dataDir,
      custodian,
      logger,
      audit: logAuditSink(logger),
      hubUrl: hub.url,
      pin: hub.pin,
      enrollmentToken: hub.enrollmentToken ?? '',
    });
    const vault = await openVault({ dataDir, custodian, logger });
    const engine = createSyncEngine({ vault, dataDir, custodian, logger });
    try {
      log(`initial sync … (resident memory before: ${Math.round(process.memoryUsage().rss / 1048576)} MB)`);
      const started = performance.now();
      const initial = await engine.syncOnce();
      const seconds = (performance.now() - started) / 1000;
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      if (initial.written < 80_000) throw new Error(`the initial sync wrote ${initial.written} resources, fewer than 80,000`);
      log(`  ${initial.written} resources for ${initial.patients} patients; vault holds ${vault.status().resources}`);
      report('sync.initial_s', seconds, 's', '≤ 10 s');
      report('sync.initial_rps', initial.written / seconds, 'res/s', '≥ 8000');
      report('sync.initial_peak_rss_mb', peakRssMb, 'MB', '≤ 200');
      report('sync.initial_vs_vault_ingest', initial.written / seconds / (await vaultIngestRate(custodian)), '×', '≥ 0.8');

      const noop: number[] = [];
      for (let i = 0; i < NOOP_CYCLES; i += 1) {
        await sleep(CYCLE_SPACING_MS);
        const t = performance.now();
        const summary = await engine.syncOnce();
        noop.push(performance.now() - t);
        if (summary.written !== 0 || summary.deleted !== 0) throw new Error('a cycle without changes wrote something');
      }
      report('sync.noop_cycle_ms.p50', percentile(noop, 50), 'ms', '≤ 50');
      report('sync.noop_cycle_ms.p95', percentile(noop, 95), 'ms', '≤ 50');

      const feed = await openBenchHubDatabase(hubDir);
      try {
        const someone = vault.census()[0]!.patientId;
        const observationId = vault.patientSummary(someone)!.vitals[0]!.observationId;
        const visible: number[] = [];
        for (let i = 0; i < CHANGE_CYCLES; i += 1) {
          await sleep(CYCLE_SPACING_MS);
          const current = vault.resources.read('Observation', observationId) as Observation;
          const { meta: _meta, ...body } = current;
          await putResources(feed, [{ ...body, note: [{ text: `bench change ${i}` }] } as Observation], new Date());
          const t = performance.now();
          await engine.syncOnce();
          const elapsed = performance.now() - t;
          const after = vault.resources.read('Observation', observationId) as Observation;
          if (after.note?.[0]?.text !== `bench change ${i}`) throw new Error('the change did not reach the vault in one cycle');
          visible.push(elapsed);
        }
        report('sync.change_visible_ms', percentile(visible, 50), 'ms', '≤ 1000');
        report('sync.change_visible_ms.max', Math.max(...visible), 'ms');
      } finally {
        await feed.close();
      }
    } finally {
      await engine.close();
      vault.close();
    }
  } finally {
    await hub.stop();
    await wipeVault({ dataDir, custodian }).catch(() => undefined);
    await custodian.destroy(keyNameFor(dataDir, 'device')).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(hubDir, { recursive: true, force: true });
    rmSync(`${hubDir}.dev-key`, { force: true });
  }
}

await main();
