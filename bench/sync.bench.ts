// Sync benchmark: a workstation against a real hub in a child process (its own event loop and
// core), over loopback HTTPS with the pin, as enrolled (by this process) through /auth/enroll.
//   sync.initial_s / sync.initial_rps: the first sync of the 40-patient demo ward (≥ 80,000
//     resources: census, $everything per patient with next links, every resource validated and
//     written to the encrypted vault, history walks). Goal ≤ 10 s, ≥ 8,000 res/s. It runs in a
//     workstation process of its own, bundled JavaScript in plain Node as the app and `wardline
//     sync` run (lib/workstation-process.ts): not beside the benchmark's hub launcher, generator
//     and tsx loader, whose memory is not the workstation's.
//   sync.initial_peak_rss_mb: that workstation process's peak resident memory (from its start to
//     the end of the sync: loading included). Goal ≤ 200 MB.
//   sync.initial_cpu_s: its CPU time (user + system) during the sync: steadier than wall time on a
//     busy machine.
//   sync.initial_vs_vault_ingest: sync.initial_rps over the vault's own ingest rate measured right
//     after it in that process (vault.bench.ts's ward, batches and store), so both see the same
//     machine load. Goal ≥ 0.8: the initial load is bounded by how fast the vault can write.
//   sync.initial_vs_same_ward_ingest: the same over the vault's ingest of the demo ward itself (the
//     resources the sync wrote, about three times vault.bench.ts's ward; a vault's write cost per
//     resource grows with its size). No goal: it separates the sync's own work from the vault's size.
//   Then this process opens the same vault for:
//   sync.noop_cycle_ms (p50, p95): a cycle with nothing to do. Goal ≤ 50 ms. Cycles are spaced so
//     the hub's per-device rate limit (50 req/s) is not what is measured.
//   sync.change_visible_ms: one resource changed on the hub (written into its store by the feed) is
//     in the vault this long after a cycle starts (the cycle's duration, an upper bound). Goal ≤ 1 s.
//   scripts/with-keyring.sh npx tsx bench/sync.bench.ts [--json]
//   (SYNC_BENCH_CPU_PROFILE=<dir>: the workstation process writes its V8 CPU profile there.)
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { putResources } from '../server/fhir/index.js';
import type { Observation } from '../shared/fhir/index.js';
import { createSyncEngine, enrollWorkstation, logAuditSink } from '../electron/sync/index.js';
import { KeytarCustodian, keyNameFor, openVault, wipeVault } from '../electron/vault/index.js';
import { openBenchHubDatabase, startBenchHub } from './lib/hub-process.js';
import { isJson, percentile, report } from './lib/report.js';
import { runInitialSyncProcess } from './lib/workstation-process.js';

const PATIENTS = 40;
const NOOP_CYCLES = 30;
const CHANGE_CYCLES = 10;
/** 16 requests a cycle at most 2.5 cycles a second stays under the hub's 50 requests/s per device. */
const CYCLE_SPACING_MS = 400;

function log(line: string): void {
  if (!isJson) process.stderr.write(`${line}\n`);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
    log('initial sync, in a workstation process of its own …');
    const initial = await runInitialSyncProcess(
      dataDir,
      process.env.SYNC_BENCH_CPU_PROFILE ? { cpuProfileDir: process.env.SYNC_BENCH_CPU_PROFILE } : {},
    );
    if (initial.written < 80_000) throw new Error(`the initial sync wrote ${initial.written} resources, fewer than 80,000`);
    const vault = await openVault({ dataDir, custodian, logger });
    const engine = createSyncEngine({ vault, dataDir, custodian, logger });
    try {
      log(`  ${initial.written} resources for ${initial.patients} patients; vault holds ${vault.status().resources}`);
      log(`  resident memory of the workstation process before the sync: ${Math.round(initial.rssBeforeMb)} MB`);
      report('sync.initial_s', initial.seconds, 's', '≤ 10 s');
      report('sync.initial_rps', initial.written / initial.seconds, 'res/s', '≥ 8000');
      report('sync.initial_cpu_s', initial.cpuSeconds, 's');
      log(
        `  CPU per resource: ${Math.round((initial.cpuSeconds * 1e6) / initial.written)} µs (the vault's own ingest: ${Math.round(initial.vaultIngestCpuUsPerResource)} µs)`,
      );
      if (initial.mainThreadCpuSeconds !== null)
        log(`  of which its main thread (the vault's writer): ${Math.round((initial.mainThreadCpuSeconds * 1e6) / initial.written)} µs`);
      report('sync.initial_peak_rss_mb', initial.peakRssMb, 'MB', '≤ 200');
      log(`  the vault's own ingest, same process, right after: ${Math.round(initial.vaultIngestRps)} res/s`);
      report('sync.initial_vs_vault_ingest', initial.written / initial.seconds / initial.vaultIngestRps, '×', '≥ 0.8');
      log(
        `  the vault's ingest of the demo ward itself (${initial.sameWardResources} resources), same process: ${Math.round(initial.sameWardIngestRps)} res/s, ${Math.round(initial.sameWardIngestCpuUsPerResource)} µs CPU per resource`,
      );
      report('sync.initial_vs_same_ward_ingest', initial.written / initial.seconds / initial.sameWardIngestRps, '×');

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
