// Conflicts through the window's channels on a workstation enrolled at a real hub: a record changed
// here and on the hub shows both versions to those who may read it; a nurse settles it with a
// combination of both (checked: valid FHIR, the conflict's own resources and patient, naming as
// performer only the record's own or the nurse who combines), which reaches
// the hub on top of its version with a Provenance naming her; keeping the hub's version drops the
// local change. Every settlement is audited; a role that cannot document it cannot settle it. Every
// unresolved conflict is listed, the same count the banner shows, whoever asks: one a role may not
// read is listed without its content; one whose patient this workstation no longer holds at all
// (purged before the keep-until-settled rule) is marked so and settled like the others, as closed as
// the chart was: a chart labelled restricted on its Patient alone stays withheld once purged, and is
// opened to settle it only by break-the-glass, audited as emergency access.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PURPOSE_OF_USE, RESTRICTED_LABEL } from '../../shared/access/index.js';
import type { Encounter, Observation, Patient, Provenance, Resource } from '../../shared/fhir/index.js';
import { CONFLICT_COMBINATION_POLICY_URI } from '../../electron/documentation/index.js';
import { VITAL_SIGN_CODES } from '../../shared/vital-signs/index.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'conflict-channels', patients: 5 });
  await t.signIn('nina');
  await t.call('sync:now', {});
});

afterAll(async () => {
  await t?.close();
});

interface ConflictView {
  conflictId: string;
  patientId: string;
  patientName: string | null;
  leftWard: boolean;
  chartHeld: boolean;
  reason: string;
  withheld: { code: string; message: string } | null;
  local: Resource[];
  hub: Resource[];
  hubVersionsOnly: Array<{ resourceType: string; id: string; versionId: string }>;
  withdrawn: Array<{
    resourceType: string;
    inEhr: boolean;
    by: string | null;
    at: string | null;
    note: string | null;
    canRecordAgain: boolean;
  }>;
}

/** The banner's count and the list's length, for whoever is signed in now. */
async function bannerAndList(): Promise<[number, number]> {
  const status = await t.call<{ conflicts: number }>('sync:status', {});
  return [status.conflicts, (await t.call<ConflictView[]>('conflict:list', {})).length];
}

const userId = (username: string): string => t.staff.find((a) => a.username === username)!.userId;

const hubResource = <T>(type: string, id: string): Promise<T> => t.hubResource<T>(type, id);

function vitalSignOf(patientIndex: number, nth: number): Observation {
  return t.ward.patients[patientIndex]!.resources.filter(
    (r): r is Observation => r.resourceType === 'Observation' && r.valueQuantity !== undefined,
  )[nth]!;
}

/** The same observation changed here (a remark) and on the hub (the lab's remark); a sync makes it a conflict. */
async function conflictOn(original: Observation): Promise<ConflictView> {
  const cached = t.host.vault.resources.read('Observation', original.id!)!;
  t.host.documentation!.amendResource({ ...cached, note: [{ text: 'repeated at the bedside' }] } as Observation, {
    reference: `Practitioner/${userId('nina')}`,
  });
  await feedResources(t.hub.db, [{ ...original, note: [{ text: 'verified by the lab' }] } as Observation]);
  await t.signIn('nina');
  expect(await t.call('sync:now', {})).toMatchObject({ conflicts: 1 });
  const conflicts = await t.call<ConflictView[]>('conflict:list', {});
  expect(conflicts).toHaveLength(1);
  return conflicts[0]!;
}

describe('conflicts through the window', () => {
  it('settles a conflict with a combination of both versions that reaches the hub on top of its version, with a Provenance', async () => {
    const original = vitalSignOf(0, 0);
    const patientId = t.ward.patients[0]!.patient.id!;
    const before = t.host.audit.find({ patient: patientId }).length;
    const conflict = await conflictOn(original);
    expect(conflict).toMatchObject({ patientId, reason: 'version-conflict' });
    expect((conflict.local[0] as Observation).note?.[0]?.text).toBe('repeated at the bedside');
    const hubVersion = conflict.hub[0] as Observation;
    expect(hubVersion.note?.[0]?.text).toBe('verified by the lab');
    expect(hubVersion.meta?.versionId).toBe('2');
    const reads = t.host.audit
      .find({ patient: patientId })
      .slice(before)
      .filter((e) => e.action === 'chart-read');
    expect(reads.map((e) => e.detail.view)).toEqual(['conflicts']);

    // A clerk sees that it exists, not what it holds; a physician sees it but cannot settle vital-sign documentation.
    await t.signIn('carla');
    expect(await t.call('conflict:list', {})).toEqual([
      expect.objectContaining({
        conflictId: conflict.conflictId,
        patientName: null,
        withheld: expect.objectContaining({ code: 'FORBIDDEN' }),
        local: [],
        hub: [],
      }),
    ]);
    expect(await bannerAndList()).toEqual([1, 1]);
    await t.signIn('paul');
    expect(await t.call('conflict:list', {})).toHaveLength(1);
    expect(
      await t.transport.send('conflict:resolve', { conflictId: conflict.conflictId, choice: 'combine', resources: [hubVersion] }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await t.signIn('nina');
    const combined = { ...hubVersion, note: [{ text: 'verified by the lab' }, { text: 'repeated at the bedside' }] };
    const otherPatient = t.ward.patients[1]!.patient.id!;
    const refused: Array<[unknown[], string]> = [
      [[{ ...combined, id: 'another-observation' }], 'COMBINATION_MISMATCH'],
      [[combined, { ...combined }], 'COMBINATION_MISMATCH'],
      [[{ ...combined, subject: { reference: `Patient/${otherPatient}` } }], 'COMBINATION_MISMATCH'],
      [[{ ...combined, status: 'not-a-status' }], 'INVALID_DOCUMENTATION'],
      // Only the reading's own performer or the user who combines: never a colleague, by id or by name shown.
      [[{ ...combined, performer: [{ reference: `Practitioner/${userId('carla')}` }] }], 'PERFORMER_NOT_RECORDER'],
      [
        [{ ...combined, performer: [{ reference: `Practitioner/${userId('nina')}`, display: 'Rania Eklund, RN' }] }],
        'PERFORMER_NOT_RECORDER',
      ],
    ];
    for (const [resources, code] of refused) {
      expect(await t.transport.send('conflict:resolve', { conflictId: conflict.conflictId, choice: 'combine', resources })).toMatchObject({
        ok: false,
        error: { code },
      });
    }
    expect(t.host.vault.conflicts.count()).toBe(1);
    expect(t.host.vault.outbox.count()).toBe(0);

    const { resentAs } = await t.call<{ resentAs: string | null }>('conflict:resolve', {
      conflictId: conflict.conflictId,
      choice: 'combine',
      resources: [combined],
    });
    expect(resentAs).toEqual(expect.any(String));
    expect(await t.call('conflict:list', {})).toEqual([]);
    expect(await t.call('chart:pending', { patientId })).toEqual([
      expect.objectContaining({ entryId: resentAs, kind: 'amendment', status: 'pending-upload' }),
    ]);
    const provenanceId = t.host.vault.outbox.get(resentAs!)!.provenance!.id;
    const [settled] = t.host.audit.find({ patient: patientId }).filter((e) => e.action === 'update');
    expect(settled).toMatchObject({
      user: userId('nina'),
      resources: [`Observation/${original.id}`],
      detail: { resolution: 'combine', entry: resentAs },
    });

    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<Observation>('Observation', original.id!);
    expect(onHub.meta?.versionId).toBe('3');
    expect(onHub.note?.map((n) => n.text)).toEqual(['verified by the lab', 'repeated at the bedside']);
    const provenance = await hubResource<Provenance>('Provenance', provenanceId);
    expect(provenance.policy).toContain(CONFLICT_COMBINATION_POLICY_URI);
    expect(provenance.target.map((r) => r.reference)).toEqual([`Observation/${original.id}`, `Patient/${patientId}`]);
    expect(provenance.agent[0]?.who.reference).toBe(`Practitioner/${userId('nina')}`);
    expect(t.host.vault.resources.versionOf('Observation', original.id!)?.versionId).toBe('3');
  });

  it("keeps the hub's version when asked, sending nothing, and audits the choice", async () => {
    const original = vitalSignOf(1, 0);
    const conflict = await conflictOn(original);
    const { resentAs } = await t.call<{ resentAs: string | null }>('conflict:resolve', {
      conflictId: conflict.conflictId,
      choice: 'keep-hub',
    });
    expect(resentAs).toBeNull();
    expect(t.host.vault.outbox.count()).toBe(0);
    expect(t.host.vault.conflicts.count()).toBe(0);
    expect(t.host.vault.resources.read('Observation', original.id!)?.note?.[0]?.text).toBe('verified by the lab');
    const settled = t.host.audit.find({ patient: conflict.patientId }).filter((e) => e.action === 'update');
    expect(settled.at(-1)).toMatchObject({ user: userId('nina'), detail: { resolution: 'keep-hub' } });
    expect(await t.transport.send('conflict:resolve', { conflictId: conflict.conflictId, choice: 'keep-hub' })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT_NOT_FOUND' },
    });
    await t.call('sync:now', {});
    expect((await hubResource<Observation>('Observation', original.id!)).meta?.versionId).toBe('2');
  });

  it('lists and settles a conflict whose patient this workstation no longer holds, marked so, from what the conflict carries', async () => {
    const leaving = t.ward.patients[2]!;
    const patientId = leaving.patient.id!;
    const original = vitalSignOf(2, 0);
    const conflict = await conflictOn(original);
    // The patient is discharged at the hub, and this workstation purged the chart while the conflict
    // was open (as it did before the keep-until-settled rule).
    const finished: Encounter = {
      ...leaving.encounter,
      status: 'finished',
      period: { ...leaving.encounter.period, end: new Date().toISOString() },
    };
    await feedResources(t.hub.db, [finished]);
    t.host.vault.sync.purgePatient(patientId);
    await t.call('sync:now', {});
    expect(t.host.vault.resources.read('Patient', patientId)).toBeNull();

    for (const username of ['nina', 'paul', 'carla']) {
      await t.signIn(username);
      expect(await bannerAndList(), username).toEqual([1, 1]);
    }
    await t.signIn('nina');
    const [listed] = await t.call<ConflictView[]>('conflict:list', {});
    expect(listed).toMatchObject({
      conflictId: conflict.conflictId,
      patientId,
      patientName: null,
      leftWard: true,
      chartHeld: false,
      withheld: null,
    });
    expect((listed!.local[0] as Observation).note?.[0]?.text).toBe('repeated at the bedside');
    expect((listed!.hub[0] as Observation).meta?.versionId).toBe('2');

    // Her version goes to the hub on top of the version the conflict kept; the chart stays gone here.
    const { resentAs } = await t.call<{ resentAs: string | null }>('conflict:resolve', {
      conflictId: conflict.conflictId,
      choice: 'resend-local',
    });
    expect(resentAs).toEqual(expect.any(String));
    expect(t.host.vault.outbox.get(resentAs!)!.items[0]).toMatchObject({ operation: 'update', baseVersion: '2' });
    expect(await bannerAndList()).toEqual([0, 0]);
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<Observation>('Observation', original.id!);
    expect(onHub.meta?.versionId).toBe('3');
    expect(onHub.note?.map((n) => n.text)).toEqual(['repeated at the bedside']);
    expect(t.host.vault.resources.read('Observation', original.id!)).toBeNull();
    expect(t.host.vault.resources.read('Patient', patientId)).toBeNull();
    const settled = t.host.audit.find({ patient: patientId }).filter((e) => e.action === 'update');
    expect(settled.at(-1)).toMatchObject({ user: userId('nina'), detail: { resolution: 'resend-local', entry: resentAs } });
  });

  it("withholds a purged patient's conflict from a nurse when the chart was restricted on its Patient alone, until she breaks the glass", async () => {
    const labelled = t.ward.patients[0]!;
    const patientId = labelled.patient.id!;
    const original = vitalSignOf(0, 1);
    expect(original.meta?.security ?? []).toEqual([]);
    // The chart is restricted by its Patient resource's label only; the observation carries none.
    const held = t.host.vault.resources.read('Patient', patientId) as Patient;
    t.host.vault.resources.upsert({ ...held, meta: { ...held.meta, security: [RESTRICTED_LABEL] } });
    const conflict = await conflictOn(original);
    expect(conflict.withheld?.code).toBe('BTG_REQUIRED');
    t.host.vault.sync.purgePatient(patientId);
    expect(t.host.vault.resources.read('Patient', patientId)).toBeNull();

    for (const username of ['nina', 'paul', 'carla']) {
      await t.signIn(username);
      expect(await bannerAndList(), username).toEqual([1, 1]);
      const [listed] = await t.call<ConflictView[]>('conflict:list', {});
      expect(listed, username).toMatchObject({ conflictId: conflict.conflictId, patientName: null, chartHeld: false, local: [], hub: [] });
      expect(listed!.withheld, username).not.toBeNull();
    }
    await t.signIn('nina');
    const [withheld] = await t.call<ConflictView[]>('conflict:list', {});
    expect(withheld!.withheld?.code).toBe('BTG_REQUIRED');
    expect(JSON.stringify(withheld)).not.toContain('repeated at the bedside');
    expect(await t.transport.send('conflict:resolve', { conflictId: conflict.conflictId, choice: 'keep-hub' })).toMatchObject({
      ok: false,
      error: { code: 'BTG_REQUIRED' },
    });
    expect(t.host.vault.conflicts.count()).toBe(1);

    // She breaks the glass on the patient id the conflict carries, with a reason: then it opens and she settles it.
    await t.call('session:break-glass', { patientId, reasonCode: 'ETREAT', reasonText: 'settling the open conflict of this chart' });
    const [opened] = await t.call<ConflictView[]>('conflict:list', {});
    expect(opened).toMatchObject({ conflictId: conflict.conflictId, withheld: null, chartHeld: false });
    expect((opened!.local[0] as Observation).note?.[0]?.text).toBe('repeated at the bedside');
    expect(await t.call('conflict:resolve', { conflictId: conflict.conflictId, choice: 'keep-hub' })).toEqual({ resentAs: null });
    expect(await bannerAndList()).toEqual([0, 0]);
    const trail = t.host.audit.find({ patient: patientId });
    expect(trail.map((e) => e.action)).toContain('btg-start');
    expect(trail.filter((e) => e.action === 'update').at(-1)).toMatchObject({
      user: userId('nina'),
      purposeOfUse: PURPOSE_OF_USE.emergency,
      detail: { resolution: 'keep-hub' },
    });
  });
  it('stores a combination whose correction note follows the value kept, with the colleague’s note too, whatever note the window sent', async () => {
    // Review 11 #4: the hub stored value 80 with the note "Corrected from 79 to 82" and lost the colleague's note.
    const patientId = t.ward.patients[3]!.patient.id!;
    await t.signIn('nina');
    const entries = await t.call<Array<{ id: string; resourceType: string; versionId: string | null; fields: string[] }>>(
      'chart:recorded-entries',
      { patientId, from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
    );
    const reading = entries.find(
      (e) =>
        e.resourceType === 'Observation' &&
        (t.host.vault.resources.read('Observation', e.id) as Observation).code.coding?.[0]?.code === VITAL_SIGN_CODES.heartRate,
    )!;
    const before = t.host.vault.resources.read('Observation', reading.id) as Observation;
    const recorded = before.valueQuantity!.value!;
    const [mine, theirs] = [recorded + 2, recorded + 1];
    await t.call('chart:amend', {
      patientId,
      resourceType: 'Observation',
      id: reading.id,
      versionId: reading.versionId,
      action: 'correct',
      reason: 'wrong-value',
      values: { value: mine },
    });
    const colleagues: Observation = {
      ...before,
      status: 'corrected',
      valueQuantity: { ...before.valueQuantity!, value: theirs },
      note: [...(before.note ?? []), { text: 'Rechecked by a colleague at the monitor' }],
    };
    await feedResources(t.hub.db, [colleagues]);
    expect(await t.call('sync:now', {})).toMatchObject({ conflicts: 1 });
    const [conflict] = await t.call<ConflictView[]>('conflict:list', {});
    const local = conflict!.local[0] as Observation;
    const hubVersion = conflict!.hub[0] as Observation;
    const unit = before.valueQuantity!.unit!;
    expect(local.note?.at(-1)?.text).toMatch(new RegExp(`^Corrected from ${recorded} ${unit.replace(/[/]/g, '\\/')} to ${mine} `));

    // The value the hub holds, with this workstation's note, as the screen's free choice of notes once sent.
    const { resentAs } = await t.call<{ resentAs: string | null }>('conflict:resolve', {
      conflictId: conflict!.conflictId,
      choice: 'combine',
      resources: [{ ...hubVersion, note: local.note }],
    });
    expect(resentAs).toEqual(expect.any(String));
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<Observation>('Observation', reading.id);
    expect(onHub.valueQuantity?.value).toBe(theirs);
    const texts = (onHub.note ?? []).map((n) => n.text);
    expect(texts).toContain('Rechecked by a colleague at the monitor');
    expect(texts.at(-1)).toBe(
      `A correction to ${mine} ${unit} was documented at the same time and not kept: the value stays ${theirs} ${unit}. Reason: Wrong value typed.`,
    );
    expect(texts.some((text) => text.startsWith('Corrected from'))).toBe(false);
  });

  it("shows the colleague's copy of a reading changed at the hub while its patient left the ward, and delivers 'Keep my version' on it", async () => {
    // Review 11 #1: "Keep my version" went again on the old version, the same 412 at every cycle.
    // Review 12: the hub no longer showed the reading to this device (403), so the nurse settled it
    // blind; it now shows the ward a patient left the current version of a record of the stay.
    const leaving = t.ward.patients[1]!;
    const patientId = leaving.patient.id!;
    const original = vitalSignOf(1, 1);
    await t.signIn('nina');
    await t.call('sync:now', {});
    const held = t.host.vault.resources.versionOf('Observation', original.id!)!;
    await t.call('chart:amend', {
      patientId,
      resourceType: 'Observation',
      id: original.id!,
      versionId: held.versionId,
      action: 'entered-in-error',
      reason: 'wrong-patient',
    });
    // Meanwhile, at the hub: a colleague's note on the same reading, then the discharge.
    await feedResources(t.hub.db, [{ ...original, note: [{ text: 'rechecked by a colleague' }] } as Observation]);
    const finished: Encounter = {
      ...leaving.encounter,
      status: 'finished',
      period: { ...leaving.encounter.period, end: new Date().toISOString() },
    };
    await feedResources(t.hub.db, [finished]);
    expect(await t.call('sync:now', {})).toMatchObject({ conflicts: 1 });

    const [listed] = await t.call<ConflictView[]>('conflict:list', {});
    expect(listed).toMatchObject({ patientId, leftWard: true, chartHeld: true, withheld: null, hubVersionsOnly: [] });
    // The colleague's version, as for a patient on the ward: the card shows it, and the resend goes on it.
    expect(listed!.hub).toEqual([
      expect.objectContaining({
        id: original.id!,
        meta: expect.objectContaining({ versionId: '2' }),
        note: [{ text: 'rechecked by a colleague' }],
      }),
    ]);
    expect(t.host.vault.resources.read('Observation', original.id!)).toMatchObject({ note: [{ text: 'rechecked by a colleague' }] });
    const { resentAs } = await t.call<{ resentAs: string | null }>('conflict:resolve', {
      conflictId: listed!.conflictId,
      choice: 'resend-local',
    });
    expect(t.host.vault.outbox.get(resentAs!)!.items[0]).toMatchObject({ operation: 'update', baseVersion: '2' });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const onHub = await hubResource<Observation>('Observation', original.id!);
    expect(onHub).toMatchObject({ status: 'entered-in-error', meta: { versionId: '3' } });
    // Settled and delivered: the next sync purged the patient who left.
    expect(t.host.vault.resources.read('Patient', patientId)).toBeNull();
  });
  it('never brings back a reading a colleague marked entered in error meanwhile: says by whom and when, refuses keep-mine and combine, records the value again as a new entry', async () => {
    // Session 14: "Keep my version" of a correction met a colleague's retraction; the card offered it,
    // and the nurse's corrected value had no way to stand but over the withdrawn record.
    const patientId = t.ward.patients[0]!.patient.id!;
    await t.signIn('nina');
    await t.call('sync:now', {});
    const entries = await t.call<Array<{ id: string; resourceType: string; versionId: string | null; status: string }>>(
      'chart:recorded-entries',
      { patientId, from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' },
    );
    const reading = entries.find(
      (e) =>
        e.resourceType === 'Observation' &&
        e.status === 'final' &&
        e.versionId !== null &&
        (t.host.vault.resources.read('Observation', e.id) as Observation).code.coding?.[0]?.code === VITAL_SIGN_CODES.heartRate,
    )!;
    const before = t.host.vault.resources.read('Observation', reading.id) as Observation;
    const recorded = before.valueQuantity!.value!;
    const mine = recorded + 3;
    await t.call('chart:amend', {
      patientId,
      resourceType: 'Observation',
      id: reading.id,
      versionId: reading.versionId,
      action: 'correct',
      reason: 'wrong-value',
      values: { value: mine },
    });
    // Meanwhile, at the hub, a colleague marks the reading entered in error.
    const withdrawnAt = new Date(Date.now() - 60_000).toISOString();
    const withdrawalNote = 'Entered in error. Another patient’s reading.';
    await feedResources(t.hub.db, [
      {
        ...before,
        status: 'entered-in-error',
        note: [
          ...(before.note ?? []),
          { authorReference: { reference: `Practitioner/${userId('paul')}`, display: 'paul' }, time: withdrawnAt, text: withdrawalNote },
        ],
      } as Observation,
    ]);
    expect(await t.call('sync:now', {})).toMatchObject({ conflicts: 1 });
    const [conflict] = await t.call<ConflictView[]>('conflict:list', {});
    expect(conflict).toMatchObject({ patientId, reason: 'version-conflict' });
    // The card's facts: where, by whom, when, why; this workstation's value stays shown.
    expect(conflict!.withdrawn).toEqual([
      { resourceType: 'Observation', inEhr: false, by: 'paul', at: withdrawnAt, note: withdrawalNote, canRecordAgain: true },
    ]);
    expect((conflict!.local[0] as Observation).valueQuantity?.value).toBe(mine);

    // "Keep my version" and a combination would stand it up again: refused, nothing sent, the conflict stays.
    const local = conflict!.local[0] as Observation;
    for (const request of [
      { conflictId: conflict!.conflictId, choice: 'resend-local' },
      {
        conflictId: conflict!.conflictId,
        choice: 'combine',
        resources: [{ ...conflict!.hub[0], status: 'corrected', valueQuantity: local.valueQuantity }],
      },
    ]) {
      expect(await t.transport.send('conflict:resolve', request)).toMatchObject({ ok: false, error: { code: 'RETRACTED_RECORD' } });
    }
    expect(t.host.vault.conflicts.count()).toBe(1);
    expect(t.host.vault.outbox.count()).toBe(0);

    // Recorded again as a new entry: the same reading, measured at the same time, in her name.
    const audited = t.host.audit.find({ patient: patientId }).length;
    const { resentAs } = await t.call<{ resentAs: string | null }>('conflict:resolve', {
      conflictId: conflict!.conflictId,
      choice: 'record-again',
    });
    const newId = t.host.vault.outbox.get(resentAs!)!.items[0]!.resource.id!;
    expect(await t.call('sync:now', {})).toMatchObject({ outboxPending: 0, conflicts: 0 });
    const withdrawn = await hubResource<Observation>('Observation', reading.id);
    expect(withdrawn).toMatchObject({ status: 'entered-in-error', valueQuantity: { value: recorded } });
    const rows = await t.hub.db.query<{ content: string }>(
      "SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = 'Observation' AND CAST(content AS TEXT) LIKE $1",
      [`%${newId}%`],
    );
    expect(rows).toHaveLength(1);
    const again = JSON.parse(rows[0]!.content) as Observation;
    expect(again.id).not.toBe(reading.id);
    expect(again).toMatchObject({
      status: 'final',
      valueQuantity: { value: mine },
      effectiveDateTime: before.effectiveDateTime,
      performer: [expect.objectContaining({ reference: `Practitioner/${userId('nina')}` })],
    });
    expect(again.note?.[0]?.text).toMatch(
      /^Recorded again as a new entry: .* marked entered in error meanwhile; that entry stays withdrawn\.$/,
    );
    expect(
      t.host.audit
        .find({ patient: patientId })
        .slice(audited)
        .map((e) => e.detail.resolution),
    ).toContain('record-again');
  });

  it('records one chart-read per opening of the conflicts screen and the pending list, not one per refresh; a refresh never hides a new patient', async () => {
    // Review 11 #7: both reloaded at every sync:changed, and each reload wrote a chart-read.
    await t.signIn('nina');
    const [shown, other] = [t.ward.patients[4]!.patient.id!, t.ward.patients[3]!.patient.id!];
    const reads = (patientId: string, view: string): number =>
      t.host.audit.find({ patient: patientId }).filter((e) => e.action === 'chart-read' && e.detail.view === view).length;

    const pendingBefore = reads(shown, 'pending');
    await t.call('chart:pending', { patientId: shown });
    await t.call('chart:pending', { patientId: shown, refresh: true });
    await t.call('chart:pending', { patientId: shown, refresh: true });
    expect(reads(shown, 'pending')).toBe(pendingBefore + 1);
    // The window cannot spare the trail another patient's chart by calling it a refresh, nor a new opening.
    const otherBefore = reads(other, 'pending');
    await t.call('chart:pending', { patientId: other, refresh: true });
    expect(reads(other, 'pending')).toBe(otherBefore + 1);
    await t.call('chart:pending', { patientId: shown, refresh: true });
    await t.call('chart:pending', { patientId: shown });
    expect(reads(shown, 'pending')).toBe(pendingBefore + 3);
    // A new session is a new opening.
    await t.signIn('paul');
    await t.call('chart:pending', { patientId: shown, refresh: true });
    expect(reads(shown, 'pending')).toBe(pendingBefore + 4);

    await t.signIn('nina');
    const conflict = await conflictOn(vitalSignOf(4, 0));
    const listed = reads(shown, 'conflicts');
    await t.call('conflict:list', { refresh: true });
    await t.call('conflict:list', { refresh: true });
    expect(reads(shown, 'conflicts')).toBe(listed);
    await t.call('conflict:list', {});
    expect(reads(shown, 'conflicts')).toBe(listed + 1);
    await t.call('conflict:resolve', { conflictId: conflict.conflictId, choice: 'keep-hub' });
  });
});
