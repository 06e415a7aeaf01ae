// Every channel of the IPC contract, walked: none serves patient data without an active session
// whose role permits it, and each one that returns patient data writes exactly one audit entry per
// patient it returned, before answering. A new channel must be classified here or this file does
// not type-check.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRestricted } from '../../shared/access/index.js';
import { invokeChannel, invokeChannelNames, type InvokeChannelName } from '../../shared/contract/index.js';
import type { Observation } from '../../shared/fhir/index.js';
import type { SyntheticPatient } from '../../shared/synthetic/index.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';

const FROM = '2020-01-01T00:00:00Z';
const TO = '2030-01-01T00:00:00Z';

interface Walk {
  /** A valid request for the channel (a patient on the ward where one is needed). */
  request(patientId: string): unknown;
  /** The patients an answer holds data of, or null for a channel that carries no patient data. */
  patientsIn: ((value: unknown) => string[]) | null;
  /** The audit entries written per patient returned, by action, when more than one read (default: one entry). */
  auditedAs?: readonly string[];
}

const WALK_CONFLICT_ID = 'walk-conflict-1';
const summaryPatients = (value: unknown): string[] => (value === null ? [] : [(value as { patient: { id: string } }).patient.id]);

const WALK: Record<InvokeChannelName, Walk> = {
  'session:state': { request: () => ({}), patientsIn: null },
  'session:sign-in': { request: () => ({ username: 'nobody', password: 'not-a-password' }), patientsIn: null },
  'session:unlock-pin': { request: () => ({ userId: 'u-nurse-1', pin: '0000' }), patientsIn: null },
  'session:lock': { request: () => ({}), patientsIn: null },
  'session:sign-out': { request: () => ({}), patientsIn: null },
  'session:switch-user': { request: () => ({}), patientsIn: null },
  'session:set-pin': { request: () => ({ pin: '8642' }), patientsIn: null },
  'session:activity': { request: () => ({}), patientsIn: null },
  'session:break-glass': {
    request: (patientId) => ({ patientId, reasonCode: 'ETREAT', reasonText: 'Cardiac arrest on the ward, chart needed now' }),
    patientsIn: null,
  },
  'chart:census': { request: () => ({}), patientsIn: (value) => (value as { patientId: string }[]).map((e) => e.patientId) },
  'chart:summary': { request: (patientId) => ({ patientId }), patientsIn: summaryPatients },
  'chart:trend': {
    request: (patientId) => ({ patientId, code: '8867-4', from: FROM, to: TO }),
    patientsIn: (value) => ((value as unknown[]).length > 0 ? ['*'] : []),
  },
  'chart:mar': {
    request: (patientId) => ({ patientId, from: FROM, to: TO }),
    patientsIn: (value) => ((value as unknown[]).length > 0 ? ['*'] : []),
  },
  'chart:notes': {
    request: (patientId) => ({ patientId }),
    patientsIn: (value) => ((value as { notes: unknown[] }).notes.length > 0 ? ['*'] : []),
  },
  // An answer about one patient even when empty ("nothing waits"): always one read of that patient.
  'chart:pending': { request: (patientId) => ({ patientId }), patientsIn: () => ['*'] },
  // Receipts (ids only); the write is audited as a create (tests/host/documentation-channels.test.ts).
  'chart:record-note': { request: (patientId) => ({ patientId, note: { text: 'Reviewed on the ward round.' } }), patientsIn: null },
  'chart:record-vitals': {
    request: (patientId) => ({ patientId, vitals: { heartRate: 82, systolic: 124, diastolic: 78 } }),
    patientsIn: null,
  },
  'chart:check-administration': {
    request: (patientId) => ({
      patientId,
      administration: { medicationRequestId: 'any-order', given: false, notGivenReason: 'nil-by-mouth' },
    }),
    patientsIn: null,
  },
  'chart:record-administration': {
    request: (patientId) => ({
      patientId,
      administration: { medicationRequestId: 'any-order', given: false, notGivenReason: 'nil-by-mouth' },
    }),
    patientsIn: null,
  },
  // An answer about one patient even when empty: always one read of that patient.
  'chart:recorded-entries': { request: (patientId) => ({ patientId, from: FROM, to: TO }), patientsIn: () => ['*'] },
  // A receipt; the change is audited as an update (tests/host/amendment-channels.test.ts).
  'chart:amend': {
    request: (patientId) => ({
      patientId,
      resourceType: 'Observation',
      id: 'any-observation',
      versionId: '1',
      reason: 'wrong-value',
      action: 'entered-in-error',
    }),
    patientsIn: null,
  },
  'sync:status': { request: () => ({}), patientsIn: null },
  'sync:now': { request: () => ({}), patientsIn: null },
  // Two times and a level about one patient, nothing of the chart: guarded like the chart, not audited
  // (tests/host/sync-channels.test.ts).
  'sync:patient-freshness': { request: (patientId) => ({ patientId }), patientsIn: null },
  'setup:state': { request: () => ({}), patientsIn: null },
  // A conflict listed withheld returns nothing of its patient's chart; the opened ones do.
  'conflict:list': {
    request: () => ({}),
    patientsIn: (value) => [
      ...new Set((value as { patientId: string; withheld: unknown }[]).filter((c) => c.withheld === null).map((c) => c.patientId)),
    ],
  },
  'conflict:resolve': { request: () => ({ conflictId: WALK_CONFLICT_ID, choice: 'keep-hub' }), patientsIn: null },
  // The audit view and its export audit themselves (electron/audit/audit-view.test.ts); admins only.
  // They name patients (name and MRN) but show nothing of a chart.
  'audit:view': { request: (patientId) => ({ patientId, limit: 10 }), patientsIn: null },
  'audit:export': { request: (patientId) => ({ patientId }), patientsIn: null },
  'policy:view': { request: () => ({}), patientsIn: null },
  // A PDF of one patient: the chart is read through the audited reads (summary, MAR), then the print itself is recorded.
  'print:mar': {
    request: (patientId) => ({ scope: { patientId }, from: '2026-01-13T08:00:00Z', to: '2026-01-15T08:00:00Z' }),
    patientsIn: (value) => ((value as { patients: number }).patients > 0 ? ['*'] : []),
    auditedAs: ['chart-read', 'chart-read', 'print'],
  },
  // Answers a patient id and an expiry only; the chart it opens is read through chart:summary & co.
  'chart:open-off-ward': {
    request: () => ({ mrn: 'MRN0000001', reasonCode: 'ETREAT', reasonText: 'Rapid response call, patient collapsed in the lift' }),
    patientsIn: null,
  },
};

const patientChannels = invokeChannelNames().filter((name) => WALK[name].patientsIn !== null);
const guardedChannels = invokeChannelNames().filter((name) => invokeChannel(name)!.permission !== 'public');

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost('contract-walk');
  // A conflict on a patient of the ward and one on the restricted patient, as a failed upload leaves them.
  seedConflict(WALK_CONFLICT_ID, t.ward.patients[0]!);
  seedConflict(
    'walk-conflict-restricted',
    t.ward.patients.find((p) => p.patient.id === t.restrictedPatientId)!,
  );
});

function seedConflict(conflictId: string, patient: SyntheticPatient): void {
  const observation = patient.resources.find(
    (r): r is Observation & { id: string } => r.resourceType === 'Observation' && r.category?.[0]?.coding?.[0]?.code === 'vital-signs',
  )!;
  const local = {
    entryId: `${conflictId}-entry`,
    patientId: patient.patient.id!,
    items: [{ operation: 'update' as const, resource: { ...observation, status: 'entered-in-error' as const }, baseVersion: '1' }],
    provenance: null,
    createdAt: '2026-01-15T08:00:00.000Z',
  };
  t.host.vault.conflicts.add({
    conflictId,
    entryId: local.entryId,
    patientId: local.patientId,
    reason: 'version-conflict',
    errorCode: 'VERSION_CONFLICT',
    local,
    hub: [observation],
    detectedAt: '2026-01-15T08:05:00.000Z',
  });
}
afterEach(async () => {
  await t.close();
});

function patientOnWard(): string {
  return t.ward.patients[0]!.patient.id!;
}

describe('walking every channel of the contract', () => {
  it('classifies every channel, and at least the chart reads carry patient data', () => {
    expect(Object.keys(WALK).sort()).toEqual(invokeChannelNames());
    expect(patientChannels).toEqual(expect.arrayContaining(['chart:census', 'chart:summary', 'chart:trend', 'chart:mar']));
  });

  it('refuses every guarded channel to a workstation where nobody is signed in, and audits no read', async () => {
    for (const name of guardedChannels) {
      const result = await t.transport.send(name, WALK[name].request(patientOnWard()));
      expect(result, name).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    }
    expect(t.host.audit.find({}).filter((e) => e.patient !== null)).toEqual([]);
  });

  it('refuses every guarded channel while the session is locked', async () => {
    await t.signIn('nina');
    t.power.emit('lock-screen');
    for (const name of guardedChannels) {
      const result = await t.transport.send(name, WALK[name].request(patientOnWard()));
      expect(result, name).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    }
  });

  it('gives a clerk the census and demographics but nothing clinical', async () => {
    await t.signIn('carla');
    for (const name of patientChannels) {
      const result = await t.transport.send(name, WALK[name].request(patientOnWard()));
      if (name === 'chart:census') {
        expect(result, name).toMatchObject({ ok: true });
      } else if (name === 'chart:pending' || name === 'chart:recorded-entries') {
        // Neither lists vital signs, doses or notes to a clerk.
        expect(result, name).toMatchObject({ ok: true, value: [] });
      } else if (name === 'conflict:list') {
        // Every conflict is listed (the banner counts them all), none with its vital signs, doses or notes.
        if (!result.ok) throw new Error(result.error.code);
        const listed = result.value as {
          withheld: { code: string } | null;
          patientName: string | null;
          local: unknown[];
          hub: unknown[];
        }[];
        expect(listed.length, name).toBe(t.host.vault.conflicts.count());
        for (const conflict of listed)
          expect(conflict, name).toMatchObject({ withheld: { code: 'FORBIDDEN' }, patientName: null, local: [], hub: [] });
      } else if (name === 'chart:summary') {
        // The patient, the admission and how current the copy is: every clinical field absent, not blank.
        expect(result, name).toMatchObject({ ok: true, value: { patient: { id: patientOnWard() } } });
        if (!result.ok) throw new Error(result.error.code);
        expect(Object.keys(result.value as object).sort(), name).toEqual(['dataAsOf', 'encounter', 'patient', 'readOnly']);
      } else {
        expect(result, name).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
    }
  });

  it('gives a nurse the clinical parts of the same summary', async () => {
    await t.signIn('nina');
    const result = await t.transport.send('chart:summary', { patientId: patientOnWard() });
    if (!result.ok) throw new Error(result.error.code);
    const summary = result.value as { vitals: unknown[]; medications: unknown[]; problems: unknown[] };
    expect(summary.vitals.length).toBeGreaterThan(0);
    expect(summary.medications.length).toBeGreaterThan(0);
    expect(summary.problems.length).toBeGreaterThan(0);
  });

  it('writes exactly one audit entry per patient returned, for every channel that returns patient data', async () => {
    await t.signIn('nina');
    for (const name of patientChannels) {
      const before = t.host.audit.find({ user: 'u-nurse-1' }).filter((e) => e.patient !== null).length;
      const result = await t.transport.send(name, WALK[name].request(patientOnWard()));
      if (!result.ok) throw new Error(`${name} refused: ${result.error.code}`);
      const returned = WALK[name].patientsIn!(result.value);
      expect(returned.length, `${name} returned no patient data to check`).toBeGreaterThan(0);
      const written = t.host.audit
        .find({ user: 'u-nurse-1' })
        .filter((e) => e.patient !== null)
        .slice(before);
      const auditedAs = WALK[name].auditedAs;
      expect(written.length, name).toBe(returned.length * (auditedAs?.length ?? 1));
      const expectedPatients = returned.flatMap((id) => (auditedAs ?? ['one']).map(() => (id === '*' ? patientOnWard() : id))).sort();
      expect(written.map((e) => e.patient).sort(), name).toEqual(expectedPatients);
      if (auditedAs !== undefined) expect(written.map((e) => e.action).sort(), name).toEqual(returned.flatMap(() => auditedAs).sort());
    }
  });

  it('asks for break-the-glass before any channel reads a restricted chart, and audits nothing of it', async () => {
    await t.signIn('nina');
    for (const name of patientChannels.filter((n) => n !== 'chart:census' && n !== 'conflict:list')) {
      const result = await t.transport.send(name, WALK[name].request(t.restrictedPatientId));
      expect(result, name).toMatchObject({ ok: false, error: { code: 'BTG_REQUIRED' } });
    }
    expect(t.host.audit.find({ patient: t.restrictedPatientId })).toEqual([]);
  });

  it("guards a patient's freshness like the chart (a restricted chart needs break-the-glass, a clerk gets it) and audits none of it", async () => {
    await t.signIn('nina');
    expect(await t.transport.send('sync:patient-freshness', { patientId: t.restrictedPatientId })).toMatchObject({
      ok: false,
      error: { code: 'BTG_REQUIRED' },
    });
    expect(await t.transport.send('sync:patient-freshness', { patientId: patientOnWard() })).toMatchObject({ ok: true });
    await t.signIn('carla');
    expect(await t.transport.send('sync:patient-freshness', { patientId: patientOnWard() })).toMatchObject({ ok: true });
    expect(t.host.audit.find({}).filter((e) => e.patient !== null)).toEqual([]);
  });

  it('opens a restricted chart through break-the-glass, with the grant and the read both in the audit trail', async () => {
    await t.signIn('nina');
    expect(
      await t.transport.send('session:break-glass', { patientId: t.restrictedPatientId, reasonCode: 'ETREAT', reasonText: 'too short' }),
    ).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    const grant = await t.transport.send('session:break-glass', {
      patientId: t.restrictedPatientId,
      reasonCode: 'ETREAT',
      reasonText: 'Cardiac arrest on the ward, chart needed now',
    });
    expect(grant).toMatchObject({ ok: true, value: { patientId: t.restrictedPatientId } });
    expect(await t.transport.send('chart:summary', { patientId: t.restrictedPatientId })).toMatchObject({
      ok: true,
      value: { patient: { id: t.restrictedPatientId } },
    });
    const actions = t.host.audit.find({ patient: t.restrictedPatientId }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['btg-start', 'chart-read']));
  });

  it('refuses break-the-glass for a chart this workstation does not hold, and records no grant', async () => {
    await t.signIn('nina');
    const refused = await t.transport.send('session:break-glass', {
      patientId: 'not-cached-here',
      reasonCode: 'ETREAT',
      reasonText: 'Cardiac arrest on the ward, chart needed now',
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NOT_IN_CACHE' } });
    expect(t.host.audit.find({ patient: 'not-cached-here' }).map((e) => e.action)).not.toContain('btg-start');
  });

  it("lists a restricted patient's conflict without its content or name, and audits nothing of that patient", async () => {
    await t.signIn('nina');
    const result = await t.transport.send('conflict:list', {});
    if (!result.ok) throw new Error(result.error.code);
    const listed = result.value as {
      conflictId: string;
      patientName: string | null;
      withheld: { code: string } | null;
      local: unknown[];
    }[];
    expect(listed.map((c) => c.conflictId)).toEqual([WALK_CONFLICT_ID, 'walk-conflict-restricted']);
    expect(listed[0]).toMatchObject({ withheld: null });
    expect(listed[1]).toMatchObject({ withheld: { code: 'BTG_REQUIRED' }, patientName: null, local: [], hub: [] });
    expect(t.host.audit.find({ patient: t.restrictedPatientId })).toEqual([]);
  });

  it('lists conflicts whose patients are no longer held, marked so; a restricted one stays withheld by the restriction recorded with it', async () => {
    await t.signIn('nina');
    // Only the restricted patient's Patient resource carries the label; the conflict recorded it when stored.
    const restricted = t.host.vault.conflicts.get('walk-conflict-restricted')!;
    expect(restricted.chartRestricted).toBe(true);
    expect([...restricted.local.items.map((item) => item.resource), ...restricted.hub].some((r) => isRestricted(r))).toBe(false);
    for (const patient of [t.ward.patients[0]!.patient.id!, t.restrictedPatientId]) t.host.vault.sync.purgePatient(patient);
    const result = await t.transport.send('conflict:list', {});
    if (!result.ok) throw new Error(result.error.code);
    const listed = result.value as {
      conflictId: string;
      chartHeld: boolean;
      leftWard: boolean;
      withheld: { code: string } | null;
      local: unknown[];
    }[];
    expect(listed).toHaveLength(t.host.vault.conflicts.count());
    expect(listed[0]).toMatchObject({ conflictId: WALK_CONFLICT_ID, chartHeld: false, leftWard: true, withheld: null });
    expect(listed[0]!.local).toHaveLength(1);
    expect(listed[1]).toMatchObject({ chartHeld: false, withheld: { code: 'BTG_REQUIRED' }, local: [] });
    expect(t.host.audit.find({ patient: t.restrictedPatientId })).toEqual([]);
  });

  it('refuses documenting to a clerk and a physician, and to anyone on a workstation that is not enrolled, writing nothing', async () => {
    const documenting = [
      'chart:record-vitals',
      'chart:check-administration',
      'chart:record-administration',
      'chart:amend',
      'conflict:resolve',
    ] as const;
    for (const username of ['carla', 'paul']) {
      await t.signIn(username);
      for (const name of documenting) {
        const result = await t.transport.send(name, WALK[name].request(patientOnWard()));
        expect(result, `${username} ${name}`).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      await t.transport.send('session:sign-out', {});
    }
    await t.signIn('nina');
    for (const name of documenting) {
      const result = await t.transport.send(name, WALK[name].request(patientOnWard()));
      expect(result, name).toMatchObject({ ok: false, error: { code: 'NOT_ENROLLED' } });
    }
    expect(await t.transport.send('sync:now', {})).toMatchObject({ ok: false, error: { code: 'NOT_ENROLLED' } });
    expect(t.host.vault.outbox.count()).toBe(0);
    expect(t.host.vault.conflicts.count()).toBe(2);
    expect(t.host.audit.find({}).filter((e) => e.action === 'create' || e.action === 'update')).toEqual([]);
  });

  it("tells a workstation that is not enrolled as offline, with its cache's counts and the policy's thresholds", async () => {
    await t.signIn('carla');
    expect(await t.transport.send('sync:status', {})).toMatchObject({
      ok: true,
      value: {
        enrolled: false,
        state: 'offline',
        staleness: 'never-synced',
        outboxPending: 0,
        conflicts: 2,
        initialLoad: null,
        staleAmberMs: 15 * 60_000,
        staleRedMs: 60 * 60_000,
      },
    });
  });

  it('shows the audit trail and the policy to an admin only', async () => {
    await t.signIn('nina');
    await t.transport.send('chart:summary', { patientId: patientOnWard() });
    expect(await t.transport.send('audit:view', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.transport.send('policy:view', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await t.transport.send('session:sign-out', {});
    await t.signIn('adam');
    const page = await t.transport.send('audit:view', { patientId: patientOnWard() });
    if (!page.ok) throw new Error(page.error.code);
    const entries = (page.value as { entries: { action: string; user: string | null; hash: string }[] }).entries;
    expect(entries.map((e) => [e.action, e.user])).toContainEqual(['chart-read', 'u-nurse-1']);
    expect(entries.every((e) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    expect(t.host.audit.find({ user: 'u-admin-1' }).map((e) => e.action)).toContain('audit-view');
    expect(await t.transport.send('policy:view', {})).toMatchObject({
      ok: true,
      value: { ward: t.host.sessions.workstationWard, printingAllowed: expect.any(Boolean) },
    });
  });
});
