// Crash safety: 50 trials, each a child process running sync cycles and writing documentation,
// killed with SIGKILL after a random delay (in the middle of a page, a push, a purge…). After each
// kill the vault opens, every outbox entry the child reported is still in the outbox or on the hub
// (once), and the next sync converges to the hub.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedResources } from '../support/hub-fixtures.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import type { Encounter, Observation, Resource } from '../../shared/fhir/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import { CLIENT_ID_SYSTEM } from '../../electron/sync/index.js';
import {
  addWardNurse,
  enrollTestWorkstation,
  hubCopiesOf,
  hubWardContents,
  seedGeneratedWard,
  vaultDifferences,
  type TestWorkstation,
} from './sync-test-kit.js';

const TRIALS = 50;
/** Enough changed observations that the history walk of a trial's first cycle spans many pages. */
const CHANGES_PER_TRIAL = 200;
const SYNCED = [
  'Patient',
  'Encounter',
  'Observation',
  'MedicationAdministration',
  'DocumentReference',
  'Provenance',
  'Condition',
  'AllergyIntolerance',
  'MedicationRequest',
  'Flag',
  'Location',
  'Practitioner',
];
const CHILD = join(import.meta.dirname, 'children', 'sync-cycles.ts');

let hub: TestHub;
let ward: SyntheticWard;
let station: TestWorkstation;
let nurse: string;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 5000, burst: 10000 } });
  ward = await seedGeneratedWard(hub.db, 'a', { seed: 'sync-crash', patients: 4, days: 1 });
  station = await enrollTestWorkstation(hub, 'a');
  nurse = (await addWardNurse(hub.db, 'a')).reference;
});

afterAll(async () => {
  await station?.remove();
  await hub?.stop();
});

interface Written {
  readonly entryId: string;
  readonly clientIds: readonly string[];
}

/**
 * Runs the child until `killAfterMs` after it is ready, then SIGKILL; with `atMidWalk`, kills it as
 * soon as it says a walk is part-way (`killAfterMs` is then only a fallback). Returns what it reported.
 */
function runAndKill(killAfterMs: number, atMidWalk = false): Promise<{ written: Written[]; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, station.dataDir, nurse], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    const written: Written[] = [];
    const lines: string[] = [];
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line === 'ready') setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      if (line === 'mid-walk' && atMidWalk) child.kill('SIGKILL');
      const [kind, entryId, ...clientIds] = line.split(' ');
      if (kind === 'entry' && entryId !== undefined) written.push({ entryId, clientIds });
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ written, lines });
      else reject(new Error(`the child ended by itself (code ${code}): ${stderr.slice(0, 2000)}`));
    });
  });
}

/** Changes on the hub between trials, so every cycle has pages to walk (and patients to load or purge). */
async function changeHub(trial: number): Promise<void> {
  const observations = ward.patients.flatMap((p) => p.resources.filter((r): r is Observation => r.resourceType === 'Observation'));
  const changed: Resource[] = [];
  for (let i = 0; i < CHANGES_PER_TRIAL; i += 1) {
    const observation = observations[(trial * CHANGES_PER_TRIAL + i) % observations.length]!;
    changed.push({ ...observation, note: [{ text: `trial ${trial}` }] } as Observation);
  }
  const moving = ward.patients[trial % ward.patients.length]!;
  if (trial % 5 === 4)
    changed.push({ ...moving.encounter, location: [{ location: { reference: 'Location/ward-elsewhere' } }] } as Encounter);
  if (trial % 5 === 0) changed.push({ ...moving.encounter, location: moving.encounter.location } as Encounter);
  await feedResources(hub.db, changed);
}

describe('sync: crash safety', () => {
  const random = (
    (seed) => () =>
      (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
  )(424242);
  const everything: Written[] = [];
  let entriesWaitingAtKill = 0;
  let walksCutShort = 0;
  let trialsRun = 0;

  // One test per trial, run in order on the same hub and workstation: each trial has its own time
  // limit, so a busy machine that slows every trial does not fail the whole run at a fixed total
  // (50 trials under 300 s timed out twice at load 13).
  for (let trial = 0; trial < TRIALS; trial += 1) {
    it(`trial ${trial}: kill -9 at a random point of a sync; the vault opens, the outbox loses nothing, the next sync converges`, async () => {
      await changeHub(trial);
      // Kills favour the first cycle after start (where the walks are), but reach later ones too.
      // Every third trial is killed the moment a walk is part-way, so some kills land there however
      // fast the machine is (a random delay alone missed every walk on a quiet CI run).
      const atMidWalk = trial % 3 === 1;
      const { written } = await runAndKill(atMidWalk ? 3_000 : Math.floor(random() ** 2 * 700), atMidWalk);
      everything.push(...written);

      const vault = await station.openVault();
      try {
        // A kill between two pages of a load or a history walk leaves its position in the vault.
        if (vault.sync.patients().some((p) => p.loadState === 'loading') || SYNCED.some((type) => vault.sync.walk(type) !== null))
          walksCutShort += 1;
        for (const entry of written) {
          const waiting = vault.outbox.get(entry.entryId) !== null;
          if (waiting) entriesWaitingAtKill += 1;
          for (const clientId of entry.clientIds) {
            const copies = await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId);
            expect(copies, `trial ${trial}: entry ${entry.entryId}`).toBe(waiting ? copies : 1);
            expect(copies).toBeLessThanOrEqual(1);
          }
        }
        const engine = station.engine(vault, { pageSize: 15 });
        await engine.syncOnce();
        await engine.close();
        expect(vault.outbox.count()).toBe(0);
        expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a')), `trial ${trial}`).toEqual([]);
      } finally {
        vault.close();
      }
      trialsRun += 1;
    }, 180_000);
  }

  it(`after ${TRIALS} kills, every entry reported is on the hub once, and the kills caught documentation and walks part-way`, async () => {
    expect(trialsRun).toBe(TRIALS);
    for (const entry of everything) {
      for (const clientId of entry.clientIds) expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId)).toBe(1);
    }
    // Meaningful only when kills caught documentation on its way to the hub. Under load many kills
    // land before a trial's first entry (45 of 50 trials wrote one on a busy CI machine), so ask
    // for documentation in at least half the trials, and for some of it caught in the outbox.
    expect(everything.length).toBeGreaterThanOrEqual(TRIALS / 2);
    expect(entriesWaitingAtKill).toBeGreaterThan(0);
    expect(walksCutShort).toBeGreaterThan(0);
  }, 120_000);
});
