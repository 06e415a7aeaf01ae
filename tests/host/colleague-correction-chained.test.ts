// A colleague corrects a record whose correction by a nurse is still waiting to upload, through the
// window's channels on a workstation enrolled at a real hub (HTTPS): nina corrects a reading (not yet
// sent), goes off shift, and cora (a nurse of the same ward, signed in on the same workstation)
// corrects the same reading. cora's correction is an entry of its own in her name, sent after nina's
// on the version the hub gave nina's: the hub ends with both changes, each credited to its own user
// (Provenance agent, note author), and nothing is refused (before, cora's change was folded into
// nina's entry under nina's Provenance, and the hub refused cora's note in nina's name: a "rejected"
// conflict holding the patient on the ward). Should nina's entry become a conflict, cora's is kept as
// one too: nothing lost, nothing applied on a version it was not made on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation, Provenance } from '../../shared/fhir/index.js';
import type { SyntheticPatient } from '../../shared/synthetic/index.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'colleague-correction-chained', patients: 8 });
  await t.addStaff('cora', 'nurse');
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

const HEART_RATE = '8867-4';
const practitioner = (username: string): string => `Practitioner/${t.staff.find((a) => a.username === username)!.userId}`;

const hubResource = <T>(type: string, id: string): Promise<T> => t.hubResource<T>(type, id);

const openPatients = (): SyntheticPatient[] =>
  t.ward.patients.filter(
    ({ patient }) =>
      t.host.vault.census().some((entry) => entry.patientId === patient.id) &&
      !(t.host.vault.resources.read('Patient', patient.id!)?.meta?.security ?? []).some((s) => s.code === 'R' || s.code === 'V'),
  );

function heartRateOf(patient: SyntheticPatient): Observation & { id: string } {
  return patient.resources.find(
    (r): r is Observation & { id: string } =>
      r.resourceType === 'Observation' && r.code.coding?.[0]?.code === HEART_RATE && r.valueQuantity !== undefined,
  )!;
}

/** `username` corrects the reading on the version this workstation holds (what the chart shows). */
async function correct(username: string, patientId: string, id: string, value: number): Promise<string> {
  await t.signIn(username);
  const { entryId } = await t.call<{ entryId: string }>('chart:amend', {
    patientId,
    resourceType: 'Observation',
    id,
    versionId: t.host.vault.resources.versionOf('Observation', id)!.versionId,
    action: 'correct',
    reason: 'wrong-value',
    note: `Rechecked by ${username}`,
    values: { value },
  });
  return entryId;
}

const provenanceOf = (entryId: string): string => t.host.vault.outbox.get(entryId)!.provenance!.id;

describe('a colleague corrects a record whose correction by a nurse still waits to upload', () => {
  it('goes as her own entry after the nurse’s: the hub holds both, each in its own user’s name', async () => {
    const patient = openPatients()[0]!;
    const reading = heartRateOf(patient);
    const before = await hubResource<Observation>('Observation', reading.id);
    const ninas = await correct('nina', patient.patient.id!, reading.id, 88);
    const coras = await correct('cora', patient.patient.id!, reading.id, 90);
    const [ninasProvenance, corasProvenance] = [provenanceOf(ninas), provenanceOf(coras)];
    // The chart shows the latest change while both wait.
    expect((t.host.vault.resources.read('Observation', reading.id) as Observation).valueQuantity?.value).toBe(90);

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    expect(await t.call('conflict:list', {})).toEqual([]);
    expect(coras).not.toBe(ninas);

    const onHub = await hubResource<Observation>('Observation', reading.id);
    expect(onHub.valueQuantity?.value).toBe(90);
    expect(Number(onHub.meta!.versionId)).toBe(Number(before.meta!.versionId) + 2);
    expect(onHub.performer).toEqual(before.performer);
    expect(
      onHub.note
        ?.slice(-2)
        .map((note) => [note.authorReference?.reference, note.text.endsWith(`Rechecked by ${note.authorReference?.display}`)]),
    ).toEqual([
      [practitioner('nina'), true],
      [practitioner('cora'), true],
    ]);
    for (const [id, username] of [
      [ninasProvenance, 'nina'],
      [corasProvenance, 'cora'],
    ] as const) {
      const provenance = await hubResource<Provenance>('Provenance', id);
      expect(provenance.agent.map((agent) => agent.who.reference)).toEqual([practitioner(username)]);
      expect(provenance.target.map((target) => target.reference)).toContain(`Observation/${reading.id}`);
    }
    // The workstation holds the hub's latest version.
    expect(t.host.vault.resources.versionOf('Observation', reading.id)?.versionId).toBe(onHub.meta!.versionId);
  });

  it('nina correcting again after cora goes after cora’s; cora correcting her own again folds into hers', async () => {
    const patient = openPatients()[1]!;
    const reading = heartRateOf(patient);
    const before = await hubResource<Observation>('Observation', reading.id);
    const first = await correct('nina', patient.patient.id!, reading.id, 70);
    const coras = await correct('cora', patient.patient.id!, reading.id, 71);
    expect(await correct('cora', patient.patient.id!, reading.id, 72)).toBe(coras);
    const again = await correct('nina', patient.patient.id!, reading.id, 73);
    expect(new Set([first, coras, again]).size).toBe(3);

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<Observation>('Observation', reading.id);
    expect(onHub.valueQuantity?.value).toBe(73);
    expect(Number(onHub.meta!.versionId)).toBe(Number(before.meta!.versionId) + 3);
    expect(onHub.note?.slice(-4).map((note) => note.authorReference?.reference)).toEqual([
      practitioner('nina'),
      practitioner('cora'),
      practitioner('cora'),
      practitioner('nina'),
    ]);
  });

  it('cora marking nina’s waiting correction entered in error: the retraction in cora’s name, after nina’s correction', async () => {
    const patient = openPatients()[4]!;
    const reading = heartRateOf(patient);
    const ninas = await correct('nina', patient.patient.id!, reading.id, 77);
    await t.signIn('cora');
    const { entryId: coras } = await t.call<{ entryId: string }>('chart:amend', {
      patientId: patient.patient.id!,
      resourceType: 'Observation',
      id: reading.id,
      versionId: t.host.vault.resources.versionOf('Observation', reading.id)!.versionId,
      action: 'entered-in-error',
      reason: 'wrong-patient',
    });
    const corasProvenance = provenanceOf(coras);

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    expect(coras).not.toBe(ninas);
    const onHub = await hubResource<Observation>('Observation', reading.id);
    expect(onHub.status).toBe('entered-in-error');
    expect(onHub.valueQuantity?.value).toBe(77);
    expect(onHub.note?.slice(-2).map((note) => note.authorReference?.reference)).toEqual([practitioner('nina'), practitioner('cora')]);
    const provenance = await hubResource<Provenance>('Provenance', corasProvenance);
    expect(provenance.agent.map((agent) => agent.who.reference)).toEqual([practitioner('cora')]);
  });

  it('corrects a reading nina recorded that has not reached the hub: cora’s change goes on the hub’s copy, in her name', async () => {
    const patient = openPatients()[2]!;
    const patientId = patient.patient.id!;
    await t.signIn('nina');
    const { resourceIds } = await t.call<{ resourceIds: string[] }>('chart:record-vitals', { patientId, vitals: { heartRate: 91 } });
    const clientId = resourceIds[0]!;
    await t.signIn('cora');
    const { entryId } = await t.call<{ entryId: string }>('chart:amend', {
      patientId,
      resourceType: 'Observation',
      id: clientId,
      versionId: null,
      action: 'correct',
      reason: 'wrong-value',
      note: 'Rechecked by cora',
      values: { value: 93 },
    });
    const corasProvenance = provenanceOf(entryId);

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const provenance = await hubResource<Provenance>('Provenance', corasProvenance);
    expect(provenance.agent.map((agent) => agent.who.reference)).toEqual([practitioner('cora')]);
    const target = provenance.target.find((reference) => reference.reference?.startsWith('Observation/'))!.reference!;
    expect(target).not.toBe(`Observation/${clientId}`);
    const onHub = await hubResource<Observation>('Observation', target.slice('Observation/'.length));
    expect(onHub.valueQuantity?.value).toBe(93);
    expect(onHub.meta?.versionId).toBe('2');
    expect(onHub.performer?.map((performer) => performer.reference)).toEqual([practitioner('nina')]);
    expect(onHub.note?.at(-1)?.authorReference?.reference).toBe(practitioner('cora'));
  });

  it('when nina’s entry becomes a conflict, cora’s is kept as a conflict too, not applied on a version it was not made on', async () => {
    const patient = openPatients()[3]!;
    const reading = heartRateOf(patient);
    await correct('nina', patient.patient.id!, reading.id, 60);
    await correct('cora', patient.patient.id!, reading.id, 61);
    const current = await hubResource<Observation>('Observation', reading.id);
    await feedResources(t.hub.db, [{ ...current, status: 'corrected', valueQuantity: { ...current.valueQuantity!, value: 59 } }]);

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 2 });
    const conflicts = await t.call<{ reason: string; local: Observation[] }[]>('conflict:list', {});
    expect(conflicts.map((c) => [c.reason, c.local[0]?.valueQuantity?.value]).sort()).toEqual([
      ['version-conflict', 60],
      ['version-conflict', 61],
    ]);
    const onHub = await hubResource<Observation>('Observation', reading.id);
    expect(onHub.valueQuantity?.value).toBe(59);
  });
});
