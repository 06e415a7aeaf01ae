// Corrections through the window's channels on a workstation enrolled at a real hub: a nurse
// corrects a heart rate (FHIR status "corrected", the earlier value named in a note) and the hub
// takes it with If-Match on the version she saw; a dose she marks entered in error after the hub
// changed it meets a 412, which the sync engine turns into a conflict on the conflicts channel, and
// she settles it there. A reason is required and audited (its code, not her words). A physician
// cannot amend nursing documentation; a stale version is refused. And documentation is audited
// inside its own transaction: when the audit write fails nothing is documented, and the retry
// reaches the hub once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedicationAdministration, Observation, Resource } from '../../shared/fhir/index.js';
import { CLIENT_ID_SYSTEM } from '../../electron/sync/index.js';
import { AuditError } from '../../electron/audit/index.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';
import { hubCopiesOf } from '../sync/sync-test-kit.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'amendment-channels', patients: 6 });
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

interface RecordedEntry {
  resourceType: string;
  id: string;
  versionId: string | null;
  label: string;
  value: string | null;
  status: string;
  notes: string[];
  canCorrect: boolean;
  canRetract: boolean;
  fields: string[];
}

const HEART_RATE = '8867-4';
const userId = (username: string): string => t.staff.find((a) => a.username === username)!.userId;
/** Patients of the ward a nurse opens without breaking the glass (the census lists them), in ward order. */
const openPatients = (): string[] =>
  t.ward.patients
    .map((p) => p.patient.id!)
    .filter((id) => t.host.vault.census().some((entry) => entry.patientId === id) && !isRestrictedId(id));
const isRestrictedId = (id: string): boolean =>
  (t.host.vault.resources.read('Patient', id)?.meta?.security ?? []).some((s) => s.code === 'R' || s.code === 'V');
const WINDOW = { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' };

const hubResource = <T>(type: string, id: string): Promise<T & { meta: { versionId: string } }> =>
  t.hubResource<T & { meta: { versionId: string } }>(type, id);

async function entriesOf(patientId: string): Promise<RecordedEntry[]> {
  return t.call<RecordedEntry[]>('chart:recorded-entries', { patientId, ...WINDOW });
}

describe('correcting documentation through the window', () => {
  it('corrects a heart rate: the hub takes it on the version she saw, keeps the earlier one, and the audit names the reason', async () => {
    await t.signIn('nina');
    const patientId = openPatients()[0]!;
    const entries = await entriesOf(patientId);
    const heartRate = entries.find(
      (e) =>
        e.resourceType === 'Observation' &&
        (t.host.vault.resources.read('Observation', e.id) as Observation).code.coding?.[0]?.code === HEART_RATE,
    )!;
    expect(heartRate).toMatchObject({ canCorrect: true, canRetract: true, fields: ['value'], versionId: expect.any(String) });
    const before = await hubResource<Observation>('Observation', heartRate.id);
    expect(before.meta.versionId).toBe(heartRate.versionId);
    const recorded = before.valueQuantity!.value!;
    const corrected = recorded === 88 ? 89 : 88;

    // A reason is required, and "other" needs her words.
    const base = { patientId, resourceType: 'Observation', id: heartRate.id, versionId: heartRate.versionId, action: 'correct' };
    expect(await t.transport.send('chart:amend', { ...base, values: { value: corrected } })).toMatchObject({
      ok: false,
      error: { code: 'REJECTED' },
    });
    expect(await t.transport.send('chart:amend', { ...base, reason: 'other', values: { value: corrected } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DOCUMENTATION' },
    });
    expect(await t.transport.send('chart:amend', { ...base, reason: 'wrong-value', values: { value: 0 } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_DOCUMENTATION' },
    });
    // A version she did not see is refused, changing nothing.
    expect(
      await t.transport.send('chart:amend', { ...base, versionId: '99', reason: 'wrong-value', values: { value: corrected } }),
    ).toMatchObject({ ok: false, error: { code: 'RECORD_CHANGED' } });
    // A physician reads vital signs but does not document them.
    await t.signIn('paul');
    expect(await t.transport.send('chart:amend', { ...base, reason: 'wrong-value', values: { value: corrected } })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(t.host.vault.outbox.count()).toBe(0);

    await t.signIn('nina');
    const receipt = await t.call<{ entryId: string }>('chart:amend', {
      ...base,
      reason: 'wrong-value',
      note: 'Monitor was on the wrong patient',
      values: { value: corrected },
    });
    expect(await t.call('chart:pending', { patientId })).toEqual([
      expect.objectContaining({ entryId: receipt.entryId, kind: 'amendment', status: 'pending-upload' }),
    ]);
    const [audited] = t.host.audit.find({ patient: patientId }).filter((e) => e.action === 'update');
    expect(audited).toMatchObject({
      user: userId('nina'),
      resources: [`Observation/${heartRate.id}`],
      detail: { amendment: 'correct', reason: 'wrong-value' },
    });
    expect(JSON.stringify(audited)).not.toContain('Monitor was on the wrong patient');

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const after = await hubResource<Observation>('Observation', heartRate.id);
    expect(after.meta.versionId).toBe(String(Number(before.meta.versionId) + 1));
    expect(after.status).toBe('corrected');
    expect(after.valueQuantity?.value).toBe(corrected);
    expect(after.note?.at(-1)?.text).toBe(
      `Corrected from ${recorded} ${before.valueQuantity!.unit} to ${corrected} ${before.valueQuantity!.unit}. Reason: Wrong value typed. Monitor was on the wrong patient`,
    );
    // The hub keeps the version she corrected in its history.
    const history = await t.hub.db.query<{ n: number }>(
      "SELECT count(*) AS n FROM fhir_versions WHERE res_type = 'Observation' AND res_id = $1",
      [heartRate.id],
    );
    expect(Number(history[0]!.n)).toBeGreaterThanOrEqual(2);
    const shown = (await entriesOf(patientId)).find((e) => e.id === heartRate.id)!;
    expect(shown).toMatchObject({
      status: 'corrected',
      versionId: after.meta.versionId,
      value: `${corrected} ${before.valueQuantity!.unit}`,
    });
  });

  it('turns a retraction the hub meanwhile changed into a conflict (412) that she settles on the conflicts channel', async () => {
    await t.signIn('nina');
    const patientId = openPatients()[1]!;
    const dose = (await entriesOf(patientId)).find((e) => e.resourceType === 'MedicationAdministration' && e.canRetract)!;
    expect(dose).toMatchObject({ canCorrect: false, fields: [] });
    const seen = await hubResource<MedicationAdministration>('MedicationAdministration', dose.id);
    expect(seen.meta.versionId).toBe(dose.versionId);
    // A correction of a dose in place is refused: it is retracted, and the right one recorded again.
    expect(
      await t.transport.send('chart:amend', {
        patientId,
        resourceType: 'MedicationAdministration',
        id: dose.id,
        versionId: dose.versionId,
        reason: 'wrong-medication-or-dose',
        action: 'correct',
        values: { value: 5 },
      }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_DOCUMENTATION' } });

    await t.call('chart:amend', {
      patientId,
      resourceType: 'MedicationAdministration',
      id: dose.id,
      versionId: dose.versionId,
      reason: 'duplicate',
      action: 'entered-in-error',
    });
    // Meanwhile the pharmacy annotates the same dose at the hub.
    const { meta: _meta, ...hubBody } = seen;
    await feedResources(t.hub.db, [{ ...hubBody, note: [{ text: 'Checked by pharmacy' }] } as Resource]);
    const changed = await hubResource<MedicationAdministration>('MedicationAdministration', dose.id);
    expect(changed.meta.versionId).not.toBe(dose.versionId);

    expect(await t.call('sync:now', {})).toMatchObject({ conflicts: 1 });
    const conflicts = await t.call<{ conflictId: string; patientId: string; reason: string; local: Resource[]; hub: Resource[] }[]>(
      'conflict:list',
      {},
    );
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]).toMatchObject({ patientId, reason: 'version-conflict' });
    expect((conflicts[0]!.local[0] as MedicationAdministration).status).toBe('entered-in-error');
    expect((conflicts[0]!.hub[0] as MedicationAdministration).note?.[0]?.text).toBe('Checked by pharmacy');
    // Nothing was overwritten at the hub.
    expect((await hubResource<MedicationAdministration>('MedicationAdministration', dose.id)).status).not.toBe('entered-in-error');

    await t.call('conflict:resolve', { conflictId: conflicts[0]!.conflictId, choice: 'resend-local' });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const settled = await hubResource<MedicationAdministration>('MedicationAdministration', dose.id);
    expect(settled.status).toBe('entered-in-error');
    expect(Number(settled.meta.versionId)).toBe(Number(changed.meta.versionId) + 1);
  });

  it("keeps a discharged patient's conflict on the ward's list, marked, until it is settled; only then is the chart purged", async () => {
    await t.signIn('nina');
    const patientId = openPatients()[3]!;
    const leaving = t.ward.patients.find((p) => p.patient.id === patientId)!;
    const reading = (await entriesOf(patientId)).find((e) => e.resourceType === 'Observation' && e.canRetract)!;
    await t.call('chart:amend', {
      patientId,
      resourceType: 'Observation',
      id: reading.id,
      versionId: reading.versionId,
      reason: 'wrong-patient',
      action: 'entered-in-error',
    });
    const { meta: _meta, ...hubBody } = await hubResource<Observation>('Observation', reading.id);
    await feedResources(t.hub.db, [
      { ...hubBody, note: [{ text: 'verified by the lab' }] } as Resource,
      { ...leaving.encounter, status: 'finished', period: { ...leaving.encounter.period, end: new Date().toISOString() } } as Resource,
    ]);
    expect(await t.call('sync:now', {})).toMatchObject({ conflicts: 1, lastError: null });
    // Two more cycles: the patient left the census, but the open conflict holds the chart here.
    await t.call('sync:now', {});
    expect(t.host.vault.census().map((e) => e.patientId)).not.toContain(patientId);
    expect(t.host.vault.resources.read('Patient', patientId)).not.toBeNull();
    const [conflict] = await t.call<{ conflictId: string; patientId: string; patientName: string | null; leftWard: boolean }[]>(
      'conflict:list',
      {},
    );
    expect(conflict).toMatchObject({ patientId, leftWard: true, patientName: expect.stringContaining(leaving.patient.name![0]!.family!) });
    expect(await t.call('sync:status', {})).toMatchObject({ conflicts: 1 });

    // A settlement whose audit entry cannot be written settles nothing.
    const record = t.host.audit.record.bind(t.host.audit);
    t.host.audit.record = () => {
      throw new AuditError('RECORD_FAILED', 'The audit trail could not be written (disk full).');
    };
    let refused: unknown;
    try {
      refused = await t.transport.send('conflict:resolve', { conflictId: conflict!.conflictId, choice: 'keep-hub' });
    } finally {
      t.host.audit.record = record;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'RECORD_FAILED' } });
    expect(t.host.vault.conflicts.count()).toBe(1);

    await t.call('conflict:resolve', { conflictId: conflict!.conflictId, choice: 'keep-hub' });
    expect(await t.call('conflict:list', {})).toEqual([]);
    await t.call('sync:now', {});
    expect(t.host.vault.resources.read('Patient', patientId)).toBeNull();
    expect(t.host.vault.resources.read('Observation', reading.id)).toBeNull();
  });

  it('corrects a reading delivered since the chart listed it under its client id, on the version the delivery made; a newer one is refused', async () => {
    await t.signIn('nina');
    const patientId = openPatients()[2]!;
    const { resourceIds } = await t.call<{ resourceIds: string[] }>('chart:record-vitals', { patientId, vitals: { heartRate: 91 } });
    const clientId = resourceIds[0]!;
    // The chart lists it as documented here: its client id, no hub version yet.
    expect((await entriesOf(patientId)).find((e) => e.id === clientId)).toMatchObject({ versionId: null, canCorrect: true });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0 });
    // Delivered: the vault now holds the hub's copy under the hub's id; the open chart still offers the client id.
    expect(t.host.vault.resources.read('Observation', clientId)).toBeNull();
    const hubId = (await entriesOf(patientId)).find(
      (e) => (t.host.vault.resources.read('Observation', e.id) as Observation).identifier?.some((i) => i.value === clientId) === true,
    )!.id;
    expect(hubId).not.toBe(clientId);
    const amend = (values: { value: number }) =>
      t.transport.send('chart:amend', {
        patientId,
        resourceType: 'Observation',
        id: clientId,
        versionId: null,
        reason: 'wrong-value',
        action: 'correct',
        values,
      });
    expect(await amend({ value: 92 })).toMatchObject({ ok: true });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const corrected = await hubResource<Observation>('Observation', hubId);
    expect(corrected).toMatchObject({ status: 'corrected', valueQuantity: { value: 92 }, meta: { versionId: '2' } });

    // The chart still offers the client id, but the record is no longer what she saw then: refused, nothing changed.
    const outbox = t.host.vault.outbox.count();
    expect(await amend({ value: 93 })).toMatchObject({ ok: false, error: { code: 'RECORD_CHANGED' } });
    expect(t.host.vault.outbox.count()).toBe(outbox);
    expect((await hubResource<Observation>('Observation', hubId)).meta.versionId).toBe('2');
  });

  it('leaves nothing documented when the audit write fails, and the retry reaches the hub once', async () => {
    await t.signIn('nina');
    const patientId = openPatients()[0]!;
    const seventySeven = async () =>
      Number(
        (
          await t.hub.db.query<{ n: number }>(
            `SELECT count(*) AS n FROM fhir_resources WHERE res_type = 'Observation' AND CAST(content AS TEXT) LIKE $1 AND CAST(content AS TEXT) LIKE $2`,
            [`%Patient/${patientId}"%`, '%"value":77,%'],
          )
        )[0]!.n,
      );
    const hubBefore = await seventySeven();
    const outboxBefore = t.host.vault.outbox.count();
    const observationsBefore = t.host.vault.resources.count('Observation');
    const record = t.host.audit.record.bind(t.host.audit);
    // The audit disk is full: the port's write fails as the real one does.
    t.host.audit.record = () => {
      throw new AuditError('RECORD_FAILED', 'The audit trail could not be written (disk full).');
    };
    let refused: unknown;
    try {
      refused = await t.transport.send('chart:record-vitals', { patientId, vitals: { heartRate: 77 } });
    } finally {
      t.host.audit.record = record;
    }
    expect(refused).toMatchObject({ ok: false, error: { code: 'RECORD_FAILED' } });
    expect(t.host.vault.outbox.count()).toBe(outboxBefore);
    expect(t.host.vault.resources.count('Observation')).toBe(observationsBefore);
    const listed = await t.call<{ status: string }[]>('chart:pending', { patientId });
    expect(listed.filter((item) => item.status !== 'delivered')).toEqual([]);

    // She records it again: one entry, audited, and one copy at the hub.
    const receipt = await t.call<{ resourceIds: string[] }>('chart:record-vitals', { patientId, vitals: { heartRate: 77 } });
    const created = t.host.audit.find({ patient: patientId }).filter((e) => e.action === 'create');
    expect(created).toHaveLength(1);
    expect(created[0]!.resources).toEqual([`Observation/${receipt.resourceIds[0]}`]);
    await t.call('sync:now', {});
    expect(await hubCopiesOf(t.hub.db, 'Observation', CLIENT_ID_SYSTEM, receipt.resourceIds[0]!)).toBe(1);
    expect(await seventySeven()).toBe(hubBefore + 1);
  });
});
