// Documentation made on the workstation reaches the hub exactly once: vital signs, a medication
// administration and a note are delivered through the outbox, each with a Provenance naming the
// nurse who recorded it (marked as downtime documentation when made while the hub was unreachable); a change made on both sides becomes a conflict with both versions kept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedResources } from '../support/hub-fixtures.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import type { Observation, Provenance } from '../../shared/fhir/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import type { Vault } from '../../electron/vault/index.js';
import { DOWNTIME_POLICY_URI, openDocumentation, type Documentation } from '../../electron/documentation/index.js';
import { CLIENT_ID_SYSTEM, isSyncError, type SyncEngine } from '../../electron/sync/index.js';
import {
  enrollTestWorkstation,
  hubCopiesOf,
  hubWardContents,
  addWardNurse,
  seedGeneratedWard,
  vaultDifferences,
  type TestWorkstation,
  NOW,
} from './sync-test-kit.js';
import { correctDose, plainScheduledOrder } from '../support/administration-fixtures.js';
import type { DocumentationAuthor } from '../../electron/documentation/index.js';

let hub: TestHub;
let NURSE: DocumentationAuthor;
let proxy: FaultProxy;
let ward: SyntheticWard;
let station: TestWorkstation;
let vault: Vault;
let engine: SyncEngine;
let documentation: Documentation;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  NURSE = await addWardNurse(hub.db, 'a');
  ward = await seedGeneratedWard(hub.db, 'a', { seed: 'sync-outbox', patients: 3, days: 2 });
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
  station = await enrollTestWorkstation(hub, 'a', { hubUrl: proxy.url, pin: proxy.pin });
  vault = await station.openVault();
  engine = station.engine(vault, { retries: 1 });
  documentation = openDocumentation({ vault, sync: engine, logger: station.logger });
  await engine.syncOnce();
});

afterAll(async () => {
  await engine?.close();
  vault?.close();
  await station?.remove();
  await proxy?.stop();
  await hub?.stop();
});

async function hubResource<T>(type: string, id: string): Promise<T> {
  const rows = await hub.db.query<{ content: string }>(
    'SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = $1 AND res_id = $2',
    [type, id],
  );
  return JSON.parse(rows[0]!.content) as T;
}

async function hubIdOf(type: string, clientId: string): Promise<string> {
  const rows = await hub.db.query<{ res_id: string }>(
    `SELECT res_id FROM fhir_tokens WHERE res_type = $1 AND param = 'identifier' AND system = $2 AND value = $3`,
    [type, CLIENT_ID_SYSTEM, clientId],
  );
  return rows[0]!.res_id;
}

describe('sync: the outbox', () => {
  it("stores vital signs with their outbox entry, delivers them once, and replaces the local copies with the hub's", async () => {
    const patientId = ward.patients[0]!.patient.id!;
    const receipt = documentation.recordVitalSigns(
      patientId,
      { heartRate: 88, systolic: 131, diastolic: 79, temperatureCelsius: 37.2 },
      NURSE,
    );
    expect(receipt.resourceIds).toHaveLength(3);
    // Online documentation names its recorder too (the hub takes nothing anonymous), without the downtime mark.
    expect(receipt.downtime).toBe(false);
    const recorded = vault.resources.read('Provenance', receipt.provenanceId!) as Provenance;
    expect(recorded.agent[0]?.who.reference).toBe(NURSE.reference);
    expect(recorded.policy).toBeUndefined();
    expect(vault.outbox.count()).toBe(1);
    expect(vault.resources.read('Observation', receipt.resourceIds[0]!)).not.toBeNull();

    const summary = await engine.syncOnce();
    expect(summary.pushed.delivered).toBe(1);
    expect(vault.outbox.count()).toBe(0);
    for (const clientId of receipt.resourceIds) {
      expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId)).toBe(1);
      const hubId = await hubIdOf('Observation', clientId);
      expect(vault.resources.read('Observation', clientId)).toBeNull();
      expect(vault.resources.versionOf('Observation', hubId)?.versionId).toBe('1');
    }
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('delivers a medication administration against its order and a note', async () => {
    const patient = ward.patients[1]!;
    const given = documentation.recordMedicationAdministration(
      patient.patient.id!,
      correctDose(patient, plainScheduledOrder(patient)!, NOW),
      NURSE,
    );
    const note = documentation.recordNote(patient.patient.id!, { text: 'Settled after the dose.' }, NURSE);
    await engine.syncOnce();
    expect(await hubCopiesOf(hub.db, 'MedicationAdministration', CLIENT_ID_SYSTEM, given.resourceIds[0]!)).toBe(1);
    expect(await hubCopiesOf(hub.db, 'DocumentReference', CLIENT_ID_SYSTEM, note.resourceIds[0]!)).toBe(1);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('refuses documentation for a patient who is not cached, saving nothing', () => {
    expect(() => documentation.recordVitalSigns('not-on-this-ward', { heartRate: 70 }, NURSE)).toThrow(
      expect.objectContaining({ code: 'PATIENT_NOT_CACHED' }),
    );
    expect(() => documentation.recordVitalSigns(ward.patients[0]!.patient.id!, { heartRate: Number.NaN }, NURSE)).toThrow(
      expect.objectContaining({ code: 'INVALID_DOCUMENTATION' }),
    );
    expect(vault.outbox.count()).toBe(0);
  });

  it('marks documentation made while the hub is unreachable with a Provenance, and delivers both once it is back', async () => {
    proxy.setFaults({ error5xx: 1 });
    await expect(engine.syncOnce()).rejects.toSatisfy((error) => isSyncError(error, 'HUB_ERROR'));
    expect(engine.state).toBe('hub-down');
    const patientId = ward.patients[0]!.patient.id!;
    const receipt = documentation.recordVitalSigns(patientId, { respiratoryRate: 18 }, NURSE);
    expect(receipt.downtime).toBe(true);
    const local = vault.resources.read('Provenance', receipt.provenanceId!) as Provenance;
    expect(local.policy).toEqual([DOWNTIME_POLICY_URI]);

    proxy.setFaults(null);
    await engine.syncOnce();
    // Back, but it failed within the last minute: degraded until it has been quiet for a while.
    expect(['online', 'degraded']).toContain(engine.state);
    const hubObservationId = await hubIdOf('Observation', receipt.resourceIds[0]!);
    const provenance = await hubResource<Provenance>('Provenance', receipt.provenanceId!);
    expect(provenance.target.map((t) => t.reference)).toEqual([`Observation/${hubObservationId}`, `Patient/${patientId}`]);
    expect(provenance.agent[0]?.who.reference).toBe(NURSE.reference);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('delivers a change whose answer was lost on the way back exactly once, without calling it a conflict', async () => {
    const target = ward.patients[1]!.resources.find(
      (r): r is Observation => r.resourceType === 'Observation' && r.valueQuantity !== undefined,
    )!;
    const cached = vault.resources.read('Observation', target.id!)!;
    documentation.amendResource({ ...cached, note: [{ text: 'repeated measurement' }] } as Observation, NURSE);
    proxy.setFaults({ cutAfterForward: 1 });
    await expect(engine.syncOnce()).rejects.toThrow();
    proxy.setFaults(null);
    const onHub = await hubResource<Observation>('Observation', target.id!);
    expect(onHub.note?.[0]?.text).toBe('repeated measurement');
    expect(vault.outbox.count()).toBe(1);

    const summary = await engine.syncOnce();
    expect(summary.pushed).toEqual({ delivered: 1, conflicts: 0, rejected: 0 });
    expect(documentation.conflicts()).toEqual([]);
    expect((await hubResource<Observation>('Observation', target.id!)).meta?.versionId).toBe(onHub.meta?.versionId);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('delivers a correction made after an answer was lost on top of the change the hub took, without calling it a conflict', async () => {
    const patientId = ward.patients[1]!.patient.id!;
    const target = ward.patients[1]!.resources.find(
      (r): r is Observation => r.resourceType === 'Observation' && r.code.coding?.[0]?.code === '8867-4',
    )!;
    const base = vault.resources.versionOf('Observation', target.id!)!.versionId;
    const correct = (value: number): void => {
      documentation.amend(
        {
          patientId,
          resourceType: 'Observation',
          id: target.id!,
          versionId: base,
          action: 'correct',
          reason: 'wrong-value',
          values: { value },
        },
        NURSE,
      );
    };
    correct(71);
    proxy.setFaults({ cutAfterForward: 1 });
    await expect(engine.syncOnce()).rejects.toThrow();
    proxy.setFaults(null);
    expect((await hubResource<Observation>('Observation', target.id!)).valueQuantity?.value).toBe(71);
    // The nurse corrects again before the next sync: the change waits in the same outbox entry.
    correct(73);
    expect(vault.outbox.count()).toBe(1);

    const summary = await engine.syncOnce();
    expect(summary.pushed).toEqual({ delivered: 1, conflicts: 0, rejected: 0 });
    expect(documentation.conflicts()).toEqual([]);
    const onHub = await hubResource<Observation>('Observation', target.id!);
    expect(onHub.valueQuantity?.value).toBe(73);
    expect(onHub.status).toBe('corrected');
    expect(onHub.meta?.versionId).toBe(String(Number(base) + 2));
    expect(vault.outbox.count()).toBe(0);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('keeps a correction of new vital signs whose first upload reached the hub but whose answer was lost', async () => {
    const patientId = ward.patients[0]!.patient.id!;
    const receipt = documentation.recordVitalSigns(patientId, { heartRate: 64 }, NURSE);
    const [clientId] = receipt.resourceIds;
    proxy.setFaults({ cutAfterForward: 1 });
    await expect(engine.syncOnce()).rejects.toThrow();
    proxy.setFaults(null);
    expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId!)).toBe(1);
    // Not yet known to be at the hub here: the correction folds into the waiting create.
    documentation.amend(
      {
        patientId,
        resourceType: 'Observation',
        id: clientId!,
        versionId: null,
        action: 'correct',
        reason: 'wrong-value',
        values: { value: 46 },
      },
      NURSE,
    );

    const summary = await engine.syncOnce();
    expect(summary.pushed).toEqual({ delivered: 1, conflicts: 0, rejected: 0 });
    expect(documentation.conflicts()).toEqual([]);
    expect(await hubCopiesOf(hub.db, 'Observation', CLIENT_ID_SYSTEM, clientId!)).toBe(1);
    const onHub = await hubResource<Observation>('Observation', await hubIdOf('Observation', clientId!));
    expect(onHub.valueQuantity?.value).toBe(46);
    expect(onHub.status).toBe('corrected');
    expect(vault.outbox.count()).toBe(0);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('logs what it delivered as counts: no patient id, value, note or clinician name', () => {
    const log = station.logText();
    expect(log).toContain('sync.outbox_pushed');
    const documented = vault.resources.ofPatientBetween(ward.patients[0]!.patient.id!, 'Observation', 0, Number.MAX_SAFE_INTEGER);
    const clinical = [
      ...ward.patients.flatMap((p) => [p.patient.id!, ...p.sensitiveStrings]),
      NURSE.reference,
      'Corrected from',
      ...documented.flatMap((o) => o.identifier?.map((i) => i.value!) ?? []),
    ];
    expect(clinical.filter((text) => log.includes(text))).toEqual([]);
  });

  it('keeps both versions as a conflict when a resource changed on the hub and here, overwriting neither', async () => {
    const original = ward.patients[2]!.resources.find(
      (r): r is Observation => r.resourceType === 'Observation' && r.valueQuantity !== undefined,
    )!;
    const cached = vault.resources.read('Observation', original.id!)!;
    documentation.amendResource({ ...cached, status: 'entered-in-error' } as Observation, NURSE);
    await feedResources(hub.db, [{ ...original, note: [{ text: 'verified by the lab' }] } as Observation]);

    const summary = await engine.syncOnce();
    expect(summary.pushed.conflicts).toBe(1);
    const [conflict] = documentation.conflicts();
    expect(conflict).toMatchObject({ reason: 'version-conflict', errorCode: 'VERSION_CONFLICT', patientId: ward.patients[2]!.patient.id });
    expect((conflict!.local.items[0]!.resource as Observation).status).toBe('entered-in-error');
    expect((conflict!.hub[0] as Observation).note?.[0]?.text).toBe('verified by the lab');
    const onHub = await hubResource<Observation>('Observation', original.id!);
    expect(onHub.status).toBe(original.status);
    expect(onHub.note?.[0]?.text).toBe('verified by the lab');
    expect(vault.resources.read('Observation', original.id!)?.note?.[0]?.text).toBe('verified by the lab');
    expect(engine.status()).toMatchObject({ outboxPending: 0, conflicts: 1 });

    documentation.resolveConflict(conflict!.conflictId, 'resend-local');
    await engine.syncOnce();
    const resolved = await hubResource<Observation>('Observation', original.id!);
    expect(resolved.status).toBe('entered-in-error');
    expect(resolved.meta?.versionId).toBe('3');
    expect(documentation.conflicts()).toEqual([]);
    expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
  });

  it('refuses to bring back a reading a colleague withdrew as entered in error meanwhile: "keep mine" is refused, the conflict stays', async () => {
    const original = ward.patients[1]!.resources.find(
      (r): r is Observation => r.resourceType === 'Observation' && r.status === 'final' && typeof r.valueQuantity?.value === 'number',
    )!;
    const cached = vault.resources.read('Observation', original.id!)!;
    const value = cached.valueQuantity!.value!;
    documentation.amendResource(
      { ...cached, status: 'corrected', valueQuantity: { ...cached.valueQuantity!, value: value + 1 } } as Observation,
      NURSE,
    );
    await feedResources(hub.db, [
      { ...original, status: 'entered-in-error', note: [{ text: 'Another patient’s reading.' }] } as Observation,
    ]);

    expect((await engine.syncOnce()).pushed.conflicts).toBe(1);
    const conflict = documentation.conflicts().find((c) => c.local.items[0]!.resource.id === original.id)!;
    expect((conflict.hub[0] as Observation).status).toBe('entered-in-error');
    let refused: unknown;
    try {
      documentation.resolveConflict(conflict.conflictId, 'resend-local');
    } catch (error) {
      refused = error;
    }
    expect(isSyncError(refused) && refused.code).toBe('RETRACTED_RECORD');
    expect(documentation.conflicts().map((c) => c.conflictId)).toContain(conflict.conflictId);
    expect(engine.status().outboxPending).toBe(0);
    await engine.syncOnce();
    expect((await hubResource<Observation>('Observation', original.id!)).status).toBe('entered-in-error');

    documentation.resolveConflict(conflict.conflictId, 'keep-hub');
    expect(documentation.conflicts().map((c) => c.conflictId)).not.toContain(conflict.conflictId);
  });
});
