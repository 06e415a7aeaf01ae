// Pulling a ward from a real hub over HTTPS: the initial sync, changes and deletions, discharges,
// and that nothing of another ward reaches the workstation or its log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedDeletions, feedResources } from '../support/hub-fixtures.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import type { Encounter, Observation } from '../../shared/fhir/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import type { Vault } from '../../electron/vault/index.js';
import type { SyncEngine } from '../../electron/sync/index.js';
import { enrollTestWorkstation, hubWardContents, seedGeneratedWard, vaultDifferences, type TestWorkstation } from './sync-test-kit.js';

let hub: TestHub;
let wardA: SyntheticWard;
let wardB: SyntheticWard;
let station: TestWorkstation;
let vault: Vault;
let engine: SyncEngine;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  wardA = await seedGeneratedWard(hub.db, 'a', { seed: 'sync-pull-a', patients: 5, days: 3 });
  wardB = await seedGeneratedWard(hub.db, 'b', { seed: 'sync-pull-b', patients: 3, days: 2 });
  station = await enrollTestWorkstation(hub, 'a');
  vault = await station.openVault();
  engine = station.engine(vault, { pageSize: 50 });
});

afterAll(async () => {
  await engine?.close();
  vault?.close();
  await station?.remove();
  await hub?.stop();
});

describe('sync: pulling the ward', () => {
  it('holds exactly what the hub holds for its ward after the first sync (counts and versions), nothing of another ward', async () => {
    const summary = await engine.syncOnce();
    expect(summary.patients).toBe(5);
    expect(summary.patientsLoaded).toBe(5);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
    for (const other of wardB.patients) expect(vault.resources.read('Patient', other.patient.id!)).toBeNull();
    expect(vault.resources.read('Location', 'ward-b')).toBeNull();
    expect(vault.census()).toHaveLength(5);
    expect(engine.status()).toMatchObject({ state: 'online', outboxPending: 0, conflicts: 0, staleness: 'fresh' });
  });

  it('shows a change made on the hub after one cycle', async () => {
    const observation = wardA.patients[0]!.resources.find((r): r is Observation => r.resourceType === 'Observation')!;
    await feedResources(hub.db, [
      { ...observation, valueQuantity: { value: 123, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } } as Observation,
    ]);
    await engine.syncOnce();
    const cached = vault.resources.read('Observation', observation.id!);
    expect(cached?.meta?.versionId).toBe('2');
    expect(cached?.valueQuantity?.value).toBe(123);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('removes a resource deleted on the hub after one cycle', async () => {
    const observation = wardA.patients[1]!.resources.find((r) => r.resourceType === 'Observation')!;
    await feedDeletions(hub.db, [{ type: 'Observation', id: observation.id! }]);
    expect(vault.resources.read('Observation', observation.id!)).not.toBeNull();
    await engine.syncOnce();
    expect(vault.resources.read('Observation', observation.id!)).toBeNull();
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('purges a discharged patient after one cycle, and says so in the audit trail with ids only, before purging', async () => {
    const leaving = wardA.patients[2]!;
    const patientId = leaving.patient.id!;
    await feedResources(hub.db, [
      { ...leaving.encounter, status: 'finished', period: { ...leaving.encounter.period, end: '2026-01-15T09:00:00Z' } } as Encounter,
    ]);
    // An audit trail that cannot be written: nobody is purged, the cycle fails and says so.
    station.audit.onRecord = (event) => {
      if (event.kind === 'purge') throw new Error('audit disk full');
    };
    try {
      await expect(engine.syncOnce()).rejects.toThrow();
    } finally {
      station.audit.onRecord = null;
    }
    expect(vault.resources.read('Patient', patientId)).not.toBeNull();
    expect(station.audit.events.some((event) => event.kind === 'purge')).toBe(false);
    // Written: the entry is committed while the chart is still here (a kill then loses no record).
    let heldWhenRecorded: boolean | null = null;
    station.audit.onRecord = (event) => {
      if (event.kind === 'purge') heldWhenRecorded = vault.resources.read('Patient', patientId) !== null;
    };
    let summary;
    try {
      summary = await engine.syncOnce();
    } finally {
      station.audit.onRecord = null;
    }
    expect(heldWhenRecorded).toBe(true);
    expect(summary.purgedPatients).toBe(1);
    expect(vault.resources.read('Patient', patientId)).toBeNull();
    expect(vault.patientSummary(patientId)).toBeNull();
    expect(vault.census().map((entry) => entry.patientId)).not.toContain(patientId);
    const purge = station.audit.events.find((event) => event.kind === 'purge');
    expect(purge).toEqual({ kind: 'purge', patientIds: [patientId], resources: leaving.resources.length });
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('loads a patient admitted to the ward after one cycle', async () => {
    const moving = wardB.patients[0]!;
    const onA = { ...moving.encounter, location: [{ location: { reference: 'Location/ward-a' } }] } as Encounter;
    await feedResources(hub.db, [onA]);
    await engine.syncOnce();
    expect(vault.resources.read('Patient', moving.patient.id!)).not.toBeNull();
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('does not write a patient name, MRN or birth date into its log', () => {
    const log = station.logText();
    expect(log.length).toBeGreaterThan(0);
    for (const patient of [...wardA.patients, ...wardB.patients]) {
      for (const sensitive of patient.sensitiveStrings) expect(log.includes(sensitive), 'the log holds patient data').toBe(false);
    }
  });

  it('does nothing on a cycle without changes', async () => {
    const summary = await engine.syncOnce();
    expect({ written: summary.written, deleted: summary.deleted, loaded: summary.patientsLoaded, purged: summary.purgedPatients }).toEqual({
      written: 0,
      deleted: 0,
      loaded: 0,
      purged: 0,
    });
  });
});
