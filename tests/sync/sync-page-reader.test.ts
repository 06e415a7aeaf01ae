// The initial load's pages read on a thread of their own (electron/sync/page-reader.ts), through the
// real engine against a real hub over TLS (behind the fault proxy, which can reshape a page):
// - what the vault holds afterwards is what the hub holds for the ward, as when the pages are read
//   on the writing thread;
// - a resource the vault's validation refuses is refused the same way: skipped, the rest of its
//   page written, logged at warning with its type, id and path only;
// - a page reader that fails (it dies part-way through the load, runs out of its heap, or cannot
//   start) does not stop the load: the pages it held are asked again and read on the writing
//   thread, and so is the rest; the load completes with exactly what the hub holds, each resource
//   written once, one warning in the log, no failure recorded, and the engine tries no reader again;
// - so does a page reader that starts but never answers (its first page, or a later one): past the
//   policy's deadline for an answer it is terminated and the load goes on as above.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { feedResources } from '../support/hub-fixtures.js';
import type { Encounter } from '../../shared/fhir/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import type { SyncEngine, SyncSummary } from '../../electron/sync/index.js';
import type { Vault } from '../../electron/vault/index.js';
import { enrollTestWorkstation, hubWardContents, seedGeneratedWard, vaultDifferences, type TestWorkstation } from './sync-test-kit.js';

let hub: TestHub;
let proxy: FaultProxy;
let ward: SyntheticWard;
/** Ward c, for the reader that cannot start; ward d, whose patient moves onto it. */
let wardD: SyntheticWard;
/** The paths the workstations asked of the hub, in order. */
const asked: string[] = [];

/** The $everything paths asked more than once since `asked` was emptied. */
function askedAgain(): string[] {
  const times = new Map<string, number>();
  for (const path of asked.filter((candidate) => candidate.includes('/$everything'))) times.set(path, (times.get(path) ?? 0) + 1);
  return [...times].filter(([, count]) => count >= 2).map(([path]) => path);
}
const stations: TestWorkstation[] = [];
const FIXTURES = new URL('./fixtures/', import.meta.url);

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 2000, burst: 4000 } });
  ward = await seedGeneratedWard(hub.db, 'a', { seed: 'sync-page-reader', patients: 3, days: 2 });
  await seedGeneratedWard(hub.db, 'c', { seed: 'sync-page-reader-c', patients: 3, days: 2 });
  wardD = await seedGeneratedWard(hub.db, 'd', { seed: 'sync-page-reader-d', patients: 1, days: 1 });
  proxy = await startFaultProxy({
    hubUrl: hub.url,
    hubCaPem: hub.caPem,
    rewritePath: (path) => {
      asked.push(path);
      return path;
    },
  });
}, 120_000);

afterAll(async () => {
  for (const station of stations) await station.remove();
  await proxy?.stop();
  await hub?.stop();
});

async function station(wardId = 'a'): Promise<TestWorkstation> {
  const made = await enrollTestWorkstation(hub, wardId, { hubUrl: proxy.url, pin: proxy.pin });
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
});

/** The log's page reader warnings, parsed. */
function readerWarnings(ws: TestWorkstation): Array<Record<string, unknown>> {
  return ws
    .logText()
    .split('\n')
    .filter((line) => line.includes('"event":"sync.page_reader_unavailable"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The warning: once, at warning level, with a code (and Node's own code of the error) and nothing else. */
function expectOneWarning(ws: TestWorkstation, codes: readonly string[]): void {
  const warnings = readerWarnings(ws);
  expect(warnings).toHaveLength(1);
  const warning = warnings[0]!;
  expect(warning.level).toBe(40);
  expect(codes).toContain(warning.code);
  const allowed = ['level', 'time', 'pid', 'hostname', 'event', 'code', 'cause', 'msg'];
  expect(Object.keys(warning).filter((key) => !allowed.includes(key))).toEqual([]);
}

interface FirstSync {
  readonly summary: SyncSummary;
  /** The initial load's progress, as the engine told it. */
  readonly progress: Array<{ loaded: number; total: number }>;
}

async function firstSync(engine: SyncEngine): Promise<FirstSync> {
  const progress: Array<{ loaded: number; total: number }> = [];
  const stop = engine.onActivity((activity) => {
    if (activity.kind === 'initial-load') progress.push({ ...activity.progress });
  });
  try {
    return { summary: await engine.syncOnce(), progress };
  } finally {
    stop();
  }
}

/** The load completed: no failure recorded, the vault is the hub's ward, each resource written once, each patient counted once. */
async function expectCompleteLoad(engine: SyncEngine, vault: Vault, wardId: string, { summary, progress }: FirstSync): Promise<void> {
  expect(summary.patientsLoaded).toBe(3);
  expect(engine.status().lastError).toBeNull();
  expect(engine.status().stopped).toBeNull();
  const expected = await hubWardContents(hub.db, wardId);
  expect(vaultDifferences(vault, expected)).toEqual([]);
  expect(summary.written).toBe(expected.size);
  expect(progress).toEqual([1, 2, 3].map((loaded) => ({ loaded, total: 3 })));
  expect(vault.sync.patients().filter((patient) => patient.loadState !== 'loaded')).toEqual([]);
}

describe('a page reader that fails: the initial load reads its pages on the writing thread', () => {
  it('completes the load when the reader dies part-way, the pages it held asked again and read here: nothing lost or written twice, one warning', async () => {
    const ws = await station();
    const vault = await ws.openVault();
    const engine = ws.engine(vault, READER, { pageReaderModule: new URL('page-worker-dies.ts', FIXTURES) });
    try {
      asked.length = 0;
      await expectCompleteLoad(engine, vault, 'a', await firstSync(engine));
      expectOneWarning(ws, ['WORKER_EXITED']);
      expect(ws.logText()).not.toContain('"event":"sync.cycle_failed"');
      // The page on the reader as it died was asked again (not bounded here: under load, a timed-out request is asked again too).
      expect(askedAgain().length).toBeGreaterThan(0);
      for (const patient of ward.patients) {
        for (const sensitive of patient.sensitiveStrings)
          expect(ws.logText().includes(sensitive), 'the log holds patient data').toBe(false);
      }
    } finally {
      await engine.close();
      vault.close();
    }
  });

  it('completes the load when the reader fails on a page (not for anything in the page): that page and the rest read here, one warning', async () => {
    const ws = await station();
    const vault = await ws.openVault();
    const engine = ws.engine(vault, READER, { pageReaderModule: new URL('page-worker-fails-page.ts', FIXTURES) });
    try {
      await expectCompleteLoad(engine, vault, 'a', await firstSync(engine));
      expectOneWarning(ws, ['PAGE_FAILED']);
    } finally {
      await engine.close();
      vault.close();
    }
  });

  it('completes the load when the reader runs out of its heap as it starts, with one warning', async () => {
    const ws = await station();
    const vault = await ws.openVault();
    // A heap too small for the reader to load: its thread dies of it.
    const engine = ws.engine(vault, { ...READER, pageReaderHeapMb: 1 });
    try {
      await expectCompleteLoad(engine, vault, 'a', await firstSync(engine));
      expectOneWarning(ws, ['WORKER_ERROR', 'WORKER_EXITED']);
    } finally {
      await engine.close();
      vault.close();
    }
  });

  it('completes the load when the reader cannot start, and the engine does not try it again: a later admission is loaded without it, no second warning', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'wardline-page-worker-'));
    const starts = join(folder, 'starts');
    process.env.WARDLINE_TEST_PAGE_WORKER_STARTS = starts;
    const ws = await station('c');
    const vault = await ws.openVault();
    const engine = ws.engine(vault, READER, { pageReaderModule: new URL('page-worker-throws.ts', FIXTURES) });
    try {
      await expectCompleteLoad(engine, vault, 'c', await firstSync(engine));
      expectOneWarning(ws, ['WORKER_EXITED']);
      expect(readFileSync(starts, 'utf8')).toBe('started\n');
      // A patient moved onto the ward: a load the reader would read (pageReaderMinPatients 1), read here.
      const moving = wardD.patients[0]!;
      await feedResources(hub.db, [{ ...moving.encounter, location: [{ location: { reference: 'Location/ward-c' } }] } as Encounter]);
      const summary = await engine.syncOnce();
      expect(summary.patientsLoaded).toBe(1);
      expect(vault.resources.read('Patient', moving.patient.id!)).not.toBeNull();
      expect(vaultDifferences(vault, await hubWardContents(hub.db, 'c'))).toEqual([]);
      expect(engine.status().lastError).toBeNull();
      expect(readFileSync(starts, 'utf8')).toBe('started\n');
      expectOneWarning(ws, ['WORKER_EXITED']);
    } finally {
      delete process.env.WARDLINE_TEST_PAGE_WORKER_STARTS;
      rmSync(folder, { recursive: true, force: true });
      await engine.close();
      vault.close();
    }
  });
});

describe('a page reader that never answers: past its deadline it is terminated, and the load reads its pages on the writing thread', () => {
  it('completes the load when the reader starts but never answers its first page: the pages it held asked again and read here, one warning', async () => {
    const ws = await station();
    const vault = await ws.openVault();
    // A short deadline for the first answer (the default is a minute: sync-policy.ts says why).
    const engine = ws.engine(
      vault,
      { ...READER, pageReaderFirstAnswerMs: 2_000 },
      { pageReaderModule: new URL('page-worker-silent.ts', FIXTURES) },
    );
    try {
      asked.length = 0;
      await expectCompleteLoad(engine, vault, 'a', await firstSync(engine));
      expectOneWarning(ws, ['ANSWER_TIMEOUT']);
      expect(ws.logText()).not.toContain('"event":"sync.cycle_failed"');
      // Each patient's first page went to the reader and was never answered: each was asked again.
      for (const patient of ward.patients) {
        expect(askedAgain().some((path) => path.includes(`/Patient/${patient.patient.id}/$everything`))).toBe(true);
      }
    } finally {
      await engine.close();
      vault.close();
    }
  });

  it('completes the load when the reader answers two pages and is stuck for good on the third: terminated, that page and the rest read here, one warning', async () => {
    const ws = await station();
    const vault = await ws.openVault();
    // A short deadline for each later answer; the first answer keeps the default.
    const engine = ws.engine(
      vault,
      { ...READER, pageReaderAnswerMs: 2_000 },
      { pageReaderModule: new URL('page-worker-stuck.ts', FIXTURES) },
    );
    try {
      asked.length = 0;
      await expectCompleteLoad(engine, vault, 'a', await firstSync(engine));
      expectOneWarning(ws, ['ANSWER_TIMEOUT']);
      expect(askedAgain().length).toBeGreaterThan(0);
    } finally {
      await engine.close();
      vault.close();
    }
  });
});
