// The initial load's pages read on a thread of their own (electron/sync/page-reader.ts), through the
// real engine against a real hub over TLS (behind the fault proxy, which can reshape a page):
// - what the vault holds afterwards is what the hub holds for the ward, as when the pages are read
//   on the writing thread;
// - a resource the vault's validation refuses is refused the same way: skipped, the rest of its
//   page written, logged at warning with its type, id and path only;
// - a page reader that fails (here: its heap too small to load) fails the cycle cleanly, never
//   hangs: the error is recorded and logged, nothing half-written, and the next cycle (a reader
//   that works) loads everything exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import { isSyncError } from '../../electron/sync/index.js';
import { enrollTestWorkstation, hubWardContents, seedGeneratedWard, vaultDifferences, type TestWorkstation } from './sync-test-kit.js';

let hub: TestHub;
let proxy: FaultProxy;
let ward: SyntheticWard;
const stations: TestWorkstation[] = [];

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 2000, burst: 4000 } });
  ward = await seedGeneratedWard(hub.db, 'a', { seed: 'sync-page-reader', patients: 3, days: 2 });
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
}, 120_000);

afterAll(async () => {
  for (const station of stations) await station.remove();
  await proxy?.stop();
  await hub?.stop();
});

async function station(): Promise<TestWorkstation> {
  const made = await enrollTestWorkstation(hub, 'a', { hubUrl: proxy.url, pin: proxy.pin });
  stations.push(made);
  return made;
}

/** Small pages, several per patient; every load read on the page reader. */
const READER = { pageSize: 50, maxResourcesPerTransaction: 120, pageReaderMinPatients: 1 };

describe('the initial load read on a page reader thread', () => {
  it('holds exactly what the hub holds for the ward', async () => {
    const ws = await station();
    const vault = await ws.openVault();
    const engine = ws.engine(vault, READER);
    try {
      const summary = await engine.syncOnce();
      expect(summary.patientsLoaded).toBe(3);
      expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
    } finally {
      await engine.close();
      vault.close();
    }
  });

  it('refuses a resource the vault finds invalid as the writing thread does: skipped, logged with its path only, the rest written', async () => {
    const target = ward.resources.find((resource) => resource.resourceType === 'Observation')!;
    proxy.setAnswerRewrite((path, body) => {
      if (!path.includes('/$everything')) return null;
      const page = JSON.parse(body.toString('utf8')) as { entry?: Array<{ resource: { id: string; status?: unknown } }> };
      const entry = page.entry?.find((candidate) => candidate.resource.id === target.id);
      if (entry === undefined) return null;
      entry.resource.status = 42;
      return Buffer.from(JSON.stringify(page));
    });
    const ws = await station();
    const vault = await ws.openVault();
    const engine = ws.engine(vault, READER);
    try {
      await engine.syncOnce();
      expect(vault.resources.read('Observation', target.id!)).toBeNull();
      const expected = await hubWardContents(hub.db, 'a');
      expected.delete(`Observation/${target.id}`);
      expect(vaultDifferences(vault, expected)).toEqual([]);
      const refused = ws
        .logText()
        .split('\n')
        .filter((line) => line.includes('sync.invalid_resource'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(refused).toEqual([expect.objectContaining({ level: 40, type: 'Observation', id: target.id, path: 'Observation.status' })]);
    } finally {
      proxy.setAnswerRewrite(null);
      await engine.close();
      vault.close();
    }
  });

  it('fails the cycle cleanly when the reader fails (recorded, nothing half-written), and the next cycle loads everything once', async () => {
    const ws = await station();
    const vault = await ws.openVault();
    // A heap too small for the reader to load: its thread dies of it.
    const failing = ws.engine(vault, { ...READER, pageReaderHeapMb: 1 });
    try {
      const failure = await failing.syncOnce().then(
        () => null,
        (error: unknown) => error,
      );
      expect(isSyncError(failure, 'PAGE_READER_FAILED')).toBe(true);
      expect(failing.status().lastError).toBe('PAGE_READER_FAILED');
      expect(ws.logText()).toContain('"event":"sync.cycle_failed"');
      // Again: the same clean failure, not a hang.
      await expect(failing.syncOnce()).rejects.toSatisfy((error) => isSyncError(error, 'PAGE_READER_FAILED'));
      expect(vault.sync.patients().filter((patient) => patient.loadState === 'loaded')).toEqual([]);
    } finally {
      await failing.close();
    }
    const engine = ws.engine(vault, READER);
    try {
      const summary = await engine.syncOnce();
      expect(summary.patientsLoaded).toBe(3);
      expect(engine.status().lastError).toBeNull();
      expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
    } finally {
      await engine.close();
      vault.close();
    }
  });
});
