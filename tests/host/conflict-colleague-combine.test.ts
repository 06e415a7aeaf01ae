// A colleague settles a nurse's conflict with "Combine", through the window's channels on a
// workstation enrolled at a real hub (HTTPS): nina corrects a heart rate that is not yet sent, a
// colleague changes the same reading at the hub, the sync makes it a conflict, nina goes off shift
// and cora (a nurse of the same ward, signed in on the same workstation) combines both versions.
// The combination is cora's write: nina's correction note is carried as cora's note quoting whose
// it was (the hub refuses a note in a colleague's name, 422 PERFORMER_NOT_RECORDER), nina's value
// and reason stay, and the Provenance names cora as who combined and nina as who documented. A
// combination an earlier release queued with nina's note in nina's name is still delivered, in
// cora's name the same way, instead of becoming "rejected". The same for a dose nina marked entered in
// error with a note; and when the hub's version was marked entered in error meanwhile and cora records
// nina's value again as a new entry, nina's words go with it in cora's name, quoting whose they were,
// and the audit names the record created.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MedicationAdministration, Observation, Provenance, Resource } from '../../shared/fhir/index.js';
import type { SyntheticPatient } from '../../shared/synthetic/index.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'conflict-colleague-combine', patients: 8 });
  await t.addStaff('cora', 'nurse');
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

interface ConflictView {
  conflictId: string;
  patientId: string;
  reason: string;
  local: Resource[];
  hub: Resource[];
}

const HEART_RATE = '8867-4';
const userId = (username: string): string => t.staff.find((a) => a.username === username)!.userId;

const hubResource = <T>(type: string, id: string): Promise<T> => t.hubResource<T>(type, id);

/** The patients of the ward a nurse opens without breaking the glass (the census lists them), in ward order. */
const openPatients = (): SyntheticPatient[] =>
  t.ward.patients.filter(
    ({ patient }) =>
      t.host.vault.census().some((entry) => entry.patientId === patient.id) &&
      !(t.host.vault.resources.read('Patient', patient.id!)?.meta?.security ?? []).some((s) => s.code === 'R' || s.code === 'V'),
  );

/** A heart rate of the n-th patient a nurse opens, as the hub holds it. */
async function heartRateOf(patientIndex: number): Promise<Observation & { id: string }> {
  const reading = openPatients()[patientIndex]!.resources.find(
    (r): r is Observation & { id: string } =>
      r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE && r.valueQuantity !== undefined,
  )!;
  return hubResource<Observation & { id: string }>('Observation', reading.id);
}

/**
 * nina corrects the reading here (not yet sent), a colleague changes it at the hub (81 /min, with a
 * note), and the sync meets the hub's newer version: the conflict, as the conflicts screen lists it.
 */
async function ninasCorrectionMeetsTheHub(
  patientIndex: number,
): Promise<{ conflict: ConflictView; corrected: string; before: string; hubValue: string }> {
  await t.signIn('nina');
  const reading = await heartRateOf(patientIndex);
  const recorded = reading.valueQuantity!.value!;
  const value = recorded === 88 ? 89 : 88;
  const unit = reading.valueQuantity!.unit!;
  await t.call('chart:amend', {
    patientId: openPatients()[patientIndex]!.patient.id!,
    resourceType: 'Observation',
    id: reading.id,
    versionId: reading.meta!.versionId,
    action: 'correct',
    reason: 'wrong-value',
    note: 'Monitor was on the wrong patient',
    values: { value },
  });
  await feedResources(t.hub.db, [
    {
      ...reading,
      status: 'corrected',
      valueQuantity: { ...reading.valueQuantity!, value: 81 },
      note: [...(reading.note ?? []), { text: 'Rechecked at the monitor' }],
    },
  ]);
  await t.call('sync:now', {});
  const conflict = (await t.call<ConflictView[]>('conflict:list', {})).find((c) => c.local[0]?.id === reading.id);
  expect(conflict).toMatchObject({ reason: 'version-conflict' });
  return { conflict: conflict!, corrected: `${value} ${unit}`, before: `${recorded} ${unit}`, hubValue: `81 ${unit}` };
}

/** What the window sends for "Combine" keeping this workstation's value (the host rebuilds the notes). */
function keepingMyValue(conflict: ConflictView): Observation {
  const local = conflict.local[0] as Observation;
  const hub = conflict.hub[0] as Observation;
  return { ...hub, status: 'corrected', valueQuantity: local.valueQuantity!, note: local.note! };
}

const carried = (text: string): string => `${text} (Documented by nina; combined with the hub's version by cora.)`;

describe('a colleague combines a nurse’s correction with the hub’s version', () => {
  it('is taken by the hub as her own write: nina’s note carried in cora’s name, quoting it, nina named by the Provenance', async () => {
    const { conflict, corrected, before, hubValue } = await ninasCorrectionMeetsTheHub(0);
    const ninasNote = (conflict.local[0] as Observation).note!.at(-1)!;
    expect(ninasNote).toMatchObject({
      authorReference: { reference: `Practitioner/${userId('nina')}` },
      text: `Corrected from ${before} to ${corrected}. Reason: Wrong value typed. Monitor was on the wrong patient`,
    });

    // nina has gone off shift; cora opens the conflict on the same workstation and combines.
    await t.signIn('cora');
    const { resentAs } = await t.call<{ resentAs: string }>('conflict:resolve', {
      conflictId: conflict.conflictId,
      choice: 'combine',
      resources: [keepingMyValue(conflict)],
    });
    expect(resentAs).toEqual(expect.any(String));
    const provenanceId = t.host.vault.outbox.get(resentAs)!.provenance!.id;
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });

    const onHub = await hubResource<Observation>('Observation', conflict.local[0]!.id!);
    expect(`${onHub.valueQuantity?.value} ${onHub.valueQuantity?.unit}`).toBe(corrected);
    expect(onHub.performer).toEqual((conflict.hub[0] as Observation).performer);
    expect(onHub.note?.slice(-2)).toEqual([
      { text: 'Rechecked at the monitor' },
      {
        authorReference: { reference: `Practitioner/${userId('cora')}`, display: 'cora' },
        time: expect.any(String),
        text: carried(`Corrected from ${hubValue} to ${corrected}. Reason: Wrong value typed. Monitor was on the wrong patient`),
      },
    ]);
    const provenance = await hubResource<Provenance>('Provenance', provenanceId);
    expect(provenance.agent.map((agent) => agent.who.reference)).toEqual([
      `Practitioner/${userId('cora')}`,
      `Practitioner/${userId('nina')}`,
    ]);
  });

  it('keeping the hub’s value, carries nina’s correction as not kept, in cora’s name', async () => {
    const { conflict, corrected, hubValue } = await ninasCorrectionMeetsTheHub(1);
    await t.signIn('cora');
    const hub = conflict.hub[0] as Observation;
    await t.call('conflict:resolve', { conflictId: conflict.conflictId, choice: 'combine', resources: [hub] });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<Observation>('Observation', hub.id!);
    expect(onHub.valueQuantity?.value).toBe(81);
    expect(onHub.note?.at(-1)).toMatchObject({
      authorReference: { reference: `Practitioner/${userId('cora')}` },
      text: carried(
        `A correction to ${corrected} was documented at the same time and not kept: the value stays ${hubValue}. Reason: Wrong value typed. Monitor was on the wrong patient`,
      ),
    });
  });

  it('nina combining her own correction keeps her note as hers', async () => {
    const { conflict, corrected, hubValue } = await ninasCorrectionMeetsTheHub(2);
    await t.call('conflict:resolve', { conflictId: conflict.conflictId, choice: 'combine', resources: [keepingMyValue(conflict)] });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0 });
    const onHub = await hubResource<Observation>('Observation', conflict.local[0]!.id!);
    expect(onHub.note?.at(-1)).toMatchObject({
      authorReference: { reference: `Practitioner/${userId('nina')}` },
      text: `Corrected from ${hubValue} to ${corrected}. Reason: Wrong value typed. Monitor was on the wrong patient`,
    });
  });

  it('delivers a combination an earlier release queued with nina’s note in her name, carried in cora’s name', async () => {
    const { conflict, corrected, hubValue } = await ninasCorrectionMeetsTheHub(3);
    await t.signIn('cora');
    const { resentAs } = await t.call<{ resentAs: string }>('conflict:resolve', {
      conflictId: conflict.conflictId,
      choice: 'combine',
      resources: [keepingMyValue(conflict)],
    });
    // As the release before the note-author rule queued it: nina's note, rebuilt, still in nina's name.
    const entry = t.host.vault.outbox.get(resentAs)!;
    const ninasNote = (conflict.local[0] as Observation).note!.at(-1)!;
    const legacyText = `Corrected from ${hubValue} to ${corrected}. Reason: Wrong value typed. Monitor was on the wrong patient`;
    const legacy = entry.items.map((item) => {
      const reading = item.resource as Observation & { id: string };
      return { ...item, resource: { ...reading, note: [...reading.note!.slice(0, -1), { ...ninasNote, text: legacyText }] } };
    });
    t.host.vault.outbox.replaceItems(resentAs, legacy);

    // The hub refuses it (nina's note from cora); the engine carries the note in cora's name and sends it again at once.
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<Observation>('Observation', conflict.local[0]!.id!);
    expect(`${onHub.valueQuantity?.value} ${onHub.valueQuantity?.unit}`).toBe(corrected);
    expect(onHub.note?.at(-1)).toMatchObject({
      authorReference: { reference: `Practitioner/${userId('cora')}` },
      text: carried(legacyText),
    });
  });

  it('records nina’s value again as a new entry in cora’s name: nina’s reason and words quoted, the creation audited', async () => {
    // Review 14b #2: the new entry carried a fixed note only; nina's reason and text were in no version
    // at the hub, not in the vault, not in the audit; and the audit named no record created.
    await t.signIn('nina');
    const reading = await heartRateOf(4);
    const patientId = openPatients()[4]!.patient.id!;
    const recorded = reading.valueQuantity!.value!;
    const value = recorded === 88 ? 89 : 88;
    const unit = reading.valueQuantity!.unit!;
    await t.call('chart:amend', {
      patientId,
      resourceType: 'Observation',
      id: reading.id,
      versionId: reading.meta!.versionId,
      action: 'correct',
      reason: 'wrong-value',
      note: 'Monitor was on the wrong patient',
      values: { value },
    });
    const withdrawal = { text: 'Entered in error. Another patient’s reading.' };
    await feedResources(t.hub.db, [{ ...reading, status: 'entered-in-error', note: [...(reading.note ?? []), withdrawal] }]);
    await t.call('sync:now', {});
    const conflict = (await t.call<ConflictView[]>('conflict:list', {})).find((c) => c.local[0]?.id === reading.id)!;
    expect(conflict).toMatchObject({ reason: 'version-conflict' });

    await t.signIn('cora');
    const audited = t.host.audit.find({ patient: patientId }).length;
    const { resentAs } = await t.call<{ resentAs: string }>('conflict:resolve', {
      conflictId: conflict.conflictId,
      choice: 'record-again',
    });
    const newId = t.host.vault.outbox.get(resentAs)!.items[0]!.resource.id!;
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const rows = await t.hub.db.query<{ content: string }>(
      "SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Observation' AND CAST(content AS TEXT) LIKE $1",
      [`%${newId}%`],
    );
    expect(rows).toHaveLength(1);
    const again = JSON.parse(rows[0]!.content) as Observation;
    const cora = { reference: `Practitioner/${userId('cora')}`, display: 'cora' };
    expect(again).toMatchObject({ status: 'final', valueQuantity: { value }, performer: [cora] });
    expect(again.note).toEqual([
      {
        authorReference: cora,
        time: expect.any(String),
        text: expect.stringMatching(/^Recorded again as a new entry: this value was documented by nina as a change of an entry/),
      },
      {
        authorReference: cora,
        time: expect.any(String),
        text: `Corrected from ${recorded} ${unit} to ${value} ${unit}. Reason: Wrong value typed. Monitor was on the wrong patient (Documented by nina; recorded again as a new entry by cora.)`,
      },
    ]);
    // The withdrawn record keeps its withdrawal; the audit names the settlement and the record created, in cora's name.
    expect(await hubResource<Observation>('Observation', reading.id)).toMatchObject({
      status: 'entered-in-error',
      note: expect.arrayContaining([withdrawal]),
    });
    const entries = t.host.audit.find({ patient: patientId }).slice(audited);
    expect(
      entries.filter((e) => e.detail.resolution === 'record-again').map((e) => [e.action, e.user, e.resources, e.detail.entry]),
    ).toEqual([
      ['update', userId('cora'), [`Observation/${reading.id}`], resentAs],
      ['create', userId('cora'), [`Observation/${newId}`], resentAs],
    ]);
  });

  it('combines nina’s retraction of a dose with the hub’s version: her note carried in cora’s name, delivered', async () => {
    // Review 14b #4: the combined dose kept nina's note in her name, refused PERFORMER_NOT_RECORDER.
    await t.signIn('nina');
    const patientId = openPatients()[5]!.patient.id!;
    const entries = await t.call<Array<{ id: string; resourceType: string; versionId: string; canRetract: boolean }>>(
      'chart:recorded-entries',
      {
        patientId,
        from: '2000-01-01T00:00:00Z',
        to: '2100-01-01T00:00:00Z',
      },
    );
    const dose = entries.find((e) => e.resourceType === 'MedicationAdministration' && e.canRetract)!;
    const seen = await hubResource<MedicationAdministration & { meta: { versionId: string } }>('MedicationAdministration', dose.id);
    await t.call('chart:amend', {
      patientId,
      resourceType: 'MedicationAdministration',
      id: dose.id,
      versionId: dose.versionId,
      reason: 'duplicate',
      action: 'entered-in-error',
      note: 'Charted twice by mistake',
    });
    const { meta: _meta, ...hubBody } = seen;
    await feedResources(t.hub.db, [{ ...hubBody, note: [...(seen.note ?? []), { text: 'Checked by pharmacy' }] } as Resource]);
    await t.call('sync:now', {});
    const conflict = (await t.call<ConflictView[]>('conflict:list', {})).find((c) => c.local[0]?.id === dose.id)!;
    const local = conflict.local[0] as MedicationAdministration;
    const ninasNote = local.note!.at(-1)!;
    expect(ninasNote).toMatchObject({ authorReference: { reference: `Practitioner/${userId('nina')}` } });

    await t.signIn('cora');
    await t.call('conflict:resolve', {
      conflictId: conflict.conflictId,
      choice: 'combine',
      resources: [{ ...conflict.hub[0], status: 'entered-in-error', note: local.note }],
    });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<MedicationAdministration>('MedicationAdministration', dose.id);
    expect(onHub.status).toBe('entered-in-error');
    expect(onHub.note?.slice(-2)).toEqual([
      { text: 'Checked by pharmacy' },
      {
        authorReference: { reference: `Practitioner/${userId('cora')}`, display: 'cora' },
        time: expect.any(String),
        text: carried(ninasNote.text),
      },
    ]);
  });
});
