// Conflicts through the window's channels on a workstation enrolled at a real hub: a record changed
// here and on the hub shows both versions to those who may read it; a nurse settles it with a
// combination of both (checked: valid FHIR, the conflict's own resources and patient), which reaches
// the hub on top of its version with a Provenance naming her; keeping the hub's version drops the
// local change. Every settlement is audited; a role that cannot document it cannot settle it. Every
// unresolved conflict is listed, the same count the banner shows, whoever asks: one a role may not
// read is listed without its content; one whose patient this workstation no longer holds at all
// (purged before the keep-until-settled rule) is marked so and settled like the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encounter, Observation, Provenance, Resource } from '../../shared/fhir/index.js';
import { CONFLICT_COMBINATION_POLICY_URI } from '../../electron/documentation/index.js';
import { feedResources } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'conflict-channels' });
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
}

/** The banner's count and the list's length, for whoever is signed in now. */
async function bannerAndList(): Promise<[number, number]> {
  const status = await t.call<{ conflicts: number }>('sync:status', {});
  return [status.conflicts, (await t.call<ConflictView[]>('conflict:list', {})).length];
}

const userId = (username: string): string => t.staff.find((a) => a.username === username)!.userId;

async function hubResource<T>(type: string, id: string): Promise<T> {
  const rows = await t.hub.db.query<{ content: string }>(
    'SELECT CAST(content AS TEXT) AS content FROM fhir_resources WHERE res_type = $1 AND res_id = $2',
    [type, id],
  );
  return JSON.parse(rows[0]!.content) as T;
}

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
});
