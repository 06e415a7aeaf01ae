// Break-the-glass for a patient off this ward, as a physician at a ward A workstation uses it: the
// chart is fetched by MRN from a real hub over TLS (through a proxy the test can cut), in the
// user's name and with the reason, held in memory only for the grant, served through the chart
// channels with every read audited, and dropped at expiry, lock, switch and sign-out. Synthetic
// patients only.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addUser } from '../../server/identity/index.js';
import type { SyntheticWard } from '../../shared/synthetic/index.js';
import { MRN_SYSTEM } from '../../shared/fhir/index.js';
import { openWorkstationHost, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING } from '../../electron/session/test-helpers.js';
import { keyNameFor } from '../../electron/vault/index.js';
import { encodingsOf, filesContaining } from '../../electron/vault/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { startTestHost, MemoryTransport } from '../support/host-harness.js';
import { enrollTestWorkstation, FAST_POLICY, memoryLogger, seedGeneratedWard, type TestWorkstation } from '../sync/sync-test-kit.js';

const PASSWORD = 'correct horse battery';
const REASON = 'Rapid response call: patient collapsed in radiology, history needed';
const MINUTE = 60_000;
const FROM = '2020-01-01T00:00:00Z';
const TO = '2030-01-01T00:00:00Z';

let hub: TestHub;
let proxy: FaultProxy;
let station: TestWorkstation;
let wardA: SyntheticWard;
let wardB: SyntheticWard;
let synced = false;

let host: WorkstationHost;
let transport: MemoryTransport;
let power: ControllablePowerEvents;
let clock: FakeClock;
let logText: () => string;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 10_000, burst: 10_000 } });
  wardA = await seedGeneratedWard(hub.db, 'a', { seed: 'off-ward-a', patients: 2, days: 1 });
  wardB = await seedGeneratedWard(hub.db, 'b', { seed: 'off-ward-b', patients: 2, days: 2 });
  await addUser(hub.db, { username: 'paul.a', password: PASSWORD, role: 'physician', wards: ['a'], mfa: false });
  await addUser(hub.db, { username: 'nina.a', password: PASSWORD, role: 'nurse', wards: ['a'], mfa: false });
  await addUser(hub.db, { username: 'carla.a', password: PASSWORD, role: 'clerk', wards: ['a'], mfa: false });
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
  station = await enrollTestWorkstation(hub, 'a', { hubUrl: proxy.url, pin: proxy.pin });
});

afterAll(async () => {
  await station?.custodian.destroy(keyNameFor(station.dataDir, 'audit')).catch(() => undefined);
  await station?.remove();
  await proxy?.stop();
  await hub?.stop();
});

beforeEach(async () => {
  const org = testOrganisation();
  const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), hub: { url: proxy.url, pins: [proxy.pin] }, ward: 'a' }), [
    org.trusted,
  ]);
  transport = new MemoryTransport();
  power = new ControllablePowerEvents();
  clock = new FakeClock();
  const log = memoryLogger();
  logText = log.text;
  host = await openWorkstationHost({
    dataDir: station.dataDir,
    policy,
    custodian: station.custodian,
    powerEvents: power,
    transport,
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: log.logger,
    clock,
    scheduler: clock,
    hashing: CHEAP_HASHING,
    startSync: false,
    syncPolicy: FAST_POLICY,
  });
  if (!synced) {
    await host.sync!.syncOnce();
    synced = true;
  }
});

afterEach(async () => {
  proxy.setFaults(null);
  await host.close();
});

const offWardPatient = (): { id: string; mrn: string; names: readonly string[] } => {
  const generated = wardB.patients[0]!;
  const mrn = generated.patient.identifier!.find((i) => i.system === MRN_SYSTEM)!.value!;
  return { id: generated.patient.id!, mrn, names: generated.sensitiveStrings };
};

async function signIn(username: string): Promise<void> {
  const result = await transport.send('session:sign-in', { username, password: PASSWORD });
  if (!result.ok) throw new Error(`sign-in of ${username} refused: ${result.error.code}`);
}

function open(mrn: string, reasonText: unknown = REASON, reasonCode: unknown = 'ETREAT') {
  return transport.send('chart:open-off-ward', { mrn, reasonCode, reasonText });
}

/** Advances the fake clock by `ms` while the user keeps working (so the idle lock does not strike). */
async function workFor(ms: number): Promise<void> {
  for (let left = ms; left > 0; left -= Math.min(left, 4 * MINUTE)) {
    clock.advance(Math.min(left, 4 * MINUTE));
    await transport.send('session:activity', {});
  }
}

async function hubAccessLog(patientId: string): Promise<Array<{ interaction: string; reason: string; user_id: string }>> {
  return hub.db.query('SELECT interaction, reason, user_id FROM hub_access_log WHERE patient_id = $1 ORDER BY at', [patientId]);
}

function auditSince(sequence: number) {
  return host.audit.find({ afterSequence: sequence, limit: 1000 });
}

describe('break-the-glass for a patient off this ward', () => {
  it('opens an off-ward chart by MRN for a physician, serves it through the chart reads, and audits it at both ends', async () => {
    const patient = offWardPatient();
    await signIn('paul.a');
    const resourcesInVault = host.vault.resources.count();
    expect(await transport.send('chart:summary', { patientId: patient.id })).toMatchObject({ ok: true, value: null });
    const before = host.audit.head().sequence;

    const opened = await open(patient.mrn);
    expect(opened).toMatchObject({ ok: true, value: { patientId: patient.id } });
    if (!opened.ok) return;
    const expiresAt = Date.parse((opened.value as { expiresAt: string }).expiresAt);
    expect(expiresAt - clock.now()).toBe(20 * MINUTE); // the policy's breakTheGlassMinutes;
    expect(host.offWardCharts.holds(patient.id)).toBe(true);

    const summary = await transport.send('chart:summary', { patientId: patient.id });
    expect(summary).toMatchObject({
      ok: true,
      value: { patient: { id: patient.id }, encounter: { ward: 'ward-b', bed: expect.any(String) } },
    });
    const value = (summary as { value: { vitals: unknown[]; medications: unknown[] } }).value;
    expect(value.vitals.length).toBeGreaterThan(0);
    expect(value.medications.length).toBeGreaterThan(0);
    const trend = await transport.send('chart:trend', { patientId: patient.id, code: '8867-4', from: FROM, to: TO });
    expect(trend.ok && (trend.value as unknown[]).length).toBeGreaterThan(0);
    const mar = await transport.send('chart:mar', { patientId: patient.id, from: FROM, to: TO });
    expect(mar.ok && (mar.value as unknown[]).length).toBeGreaterThan(0);
    expect(await transport.send('chart:notes', { patientId: patient.id })).toMatchObject({ ok: true });

    // The workstation's audit trail: the grant as a security alert with the reason, the hub query, every read.
    const entries = auditSince(before).filter((e) => e.patient === patient.id);
    const start = entries.find((e) => e.action === 'btg-start');
    expect(start).toMatchObject({
      user: expect.any(String),
      purposeOfUse: 'ETREAT',
      detail: { reasonCode: 'ETREAT', justification: REASON },
    });
    expect(entries.find((e) => e.action === 'query')).toMatchObject({
      outcome: 'success',
      purposeOfUse: 'ETREAT',
      query: `Patient?identifier=${MRN_SYSTEM}|${patient.mrn}`,
    });
    const reads = entries.filter((e) => e.action === 'chart-read');
    expect(reads.map((e) => e.detail.view).sort()).toEqual(['mar', 'notes', 'summary', 'trend']);
    expect(reads.every((e) => e.purposeOfUse === 'ETREAT' && e.sequence > start!.sequence)).toBe(true);

    // The hub's own record: each break-the-glass read in this user's name, with the coded reason and the words.
    const log = await hubAccessLog(patient.id);
    expect(log.map((row) => row.interaction)).toEqual(expect.arrayContaining(['search', 'everything']));
    expect(log.every((row) => row.reason === `ETREAT: ${REASON}` && row.user_id === start!.user)).toBe(true);

    // Memory only: nothing of the patient in the chart cache, on disk or in the log.
    expect(host.vault.resources.read('Patient', patient.id)).toBeNull();
    expect(host.vault.resources.count()).toBe(resourcesInVault);
    const needles = patient.names.flatMap(encodingsOf).filter((bytes) => bytes.length >= 4);
    expect(needles.length).toBeGreaterThan(4);
    expect(filesContaining(station.dataDir, needles)).toEqual([]);
    for (const name of patient.names.filter((n) => n.length >= 4)) expect(logText()).not.toContain(name);
  });

  it("lists an off-ward chart's recorded vital signs from its emergency copy, as its trend reads them, for reading only", async () => {
    const patient = offWardPatient();
    await signIn('nina.a');
    expect(await open(patient.mrn)).toMatchObject({ ok: true });
    const trend = await transport.send('chart:trend', { patientId: patient.id, code: '8867-4', from: FROM, to: TO });
    const listed = await transport.send('chart:recorded-entries', { patientId: patient.id, from: FROM, to: TO });
    if (!trend.ok || !listed.ok) throw new Error('an emergency chart read was refused');
    const points = trend.value as Array<{ time: string; value: number }>;
    const entries = listed.value as Array<{ label: string; time: string; value: string; canCorrect: boolean; canRetract: boolean }>;
    expect(points.length).toBeGreaterThan(0);
    const pulses = entries.filter((e) => e.label === 'Heart rate');
    expect(pulses.map((e) => Date.parse(e.time)).sort()).toEqual(points.map((p) => Date.parse(p.time)).sort());
    // Documenting for a patient off this ward is refused, so the copy offers no correction.
    expect(entries.every((e) => !e.canCorrect && !e.canRetract)).toBe(true);
  });

  it('says in the chart summary that an off-ward chart cannot be documented here, as the host refuses each of its saves; a chart of this ward says it can, and its saves are taken', async () => {
    const offWard = offWardPatient();
    const own = wardA.patients[0]!.patient;
    const ownMrn = own.identifier!.find((i) => i.system === MRN_SYSTEM)!.value!;
    await signIn('nina.a');
    expect(await open(offWard.mrn)).toMatchObject({ ok: true });

    /** The summary's word on documenting, and what each save of the chart's documentation answers. */
    const tryDocumenting = async (patientId: string, mrn: string) => {
      const summary = await transport.send('chart:summary', { patientId });
      if (!summary.ok) throw new Error(`the summary of ${patientId} was refused: ${summary.error.code}`);
      const value = summary.value as { readOnly: string | null; medications: Array<{ requestId: string; asNeeded: boolean }> };
      const listed = await transport.send('chart:recorded-entries', { patientId, from: FROM, to: TO });
      if (!listed.ok) throw new Error('the recorded entries were refused');
      const vital = (listed.value as Array<{ resourceType: string; id: string; versionId: string | null }>).find(
        (e) => e.resourceType === 'Observation',
      )!;
      const order = value.medications[0]!;
      const administration = {
        medicationRequestId: order.requestId,
        given: false,
        notGivenReason: 'patient-refused',
        patientConfirmation: { method: 'typed', value: mrn },
      };
      const saves = {
        vitals: await transport.send('chart:record-vitals', { patientId, vitals: { heartRate: 88 } }),
        note: await transport.send('chart:record-note', { patientId, note: { text: 'Seen at the bedside.' } }),
        checkDose: await transport.send('chart:check-administration', { patientId, administration }),
        dose: await transport.send('chart:record-administration', { patientId, administration }),
        retract: await transport.send('chart:amend', {
          patientId,
          resourceType: 'Observation',
          id: vital.id,
          versionId: vital.versionId,
          action: 'entered-in-error',
          reason: 'wrong-patient',
        }),
      };
      return { readOnly: value.readOnly, saves };
    };

    const outbox = host.vault.outbox.count();
    const offWardTried = await tryDocumenting(offWard.id, offWard.mrn);
    expect(offWardTried.readOnly).toBe('off-ward-emergency-copy');
    for (const [save, result] of Object.entries(offWardTried.saves)) {
      expect(result, save).toMatchObject({ ok: false, error: { code: 'PATIENT_NOT_CACHED' } });
    }
    expect(host.vault.outbox.count()).toBe(outbox);

    const ownTried = await tryDocumenting(own.id!, ownMrn);
    expect(ownTried.readOnly).toBeNull();
    for (const [save, result] of Object.entries(ownTried.saves)) {
      // Taken, or refused for a reason of its own (a dose's five rights), never for where the chart is held.
      if (!result.ok) expect(result.error.code, save).not.toBe('PATIENT_NOT_CACHED');
    }
    expect(ownTried.saves.vitals).toMatchObject({ ok: true, value: { status: 'pending-upload' } });
    expect(ownTried.saves.note).toMatchObject({ ok: true, value: { status: 'pending-upload' } });
    expect(ownTried.saves.checkDose).toMatchObject({ ok: true });
    expect(ownTried.saves.retract).toMatchObject({ ok: true, value: { status: 'pending-upload' } });
  });

  it("renews the user's hub token when it has run out, and still opens the chart", async () => {
    const patient = offWardPatient();
    await signIn('nina.a');
    await workFor(16 * MINUTE);
    const refreshes = hub
      .logs()
      .split('\n')
      .filter((line) => line.includes('"event":"session-refreshed"')).length;
    expect(await open(patient.mrn)).toMatchObject({ ok: true, value: { patientId: patient.id } });
    expect(
      hub
        .logs()
        .split('\n')
        .filter((line) => line.includes('"event":"session-refreshed"')).length,
    ).toBe(refreshes + 1);
  });

  it('refuses a request without a reason, or with too short a one, before anything reaches the hub', async () => {
    const patient = offWardPatient();
    await signIn('paul.a');
    const hubBefore = (await hubAccessLog(patient.id)).length;
    const before = host.audit.head().sequence;
    expect(await transport.send('chart:open-off-ward', { mrn: patient.mrn, reasonCode: 'ETREAT' })).toMatchObject({
      ok: false,
      error: { code: 'REJECTED' },
    });
    expect(await open(patient.mrn, 'urgent')).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(await open(patient.mrn, REASON, 'CURIOUS')).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(await open(`${patient.mrn},MRN0000001`)).toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    expect(await hubAccessLog(patient.id)).toHaveLength(hubBefore);
    expect(auditSince(before).map((e) => e.action)).toEqual(['ipc-rejected', 'ipc-rejected', 'ipc-rejected', 'ipc-rejected']);
    expect(host.offWardCharts.size).toBe(0);
  });

  it('refuses a clerk, whose role cannot break the glass, without asking the hub', async () => {
    const patient = offWardPatient();
    await signIn('carla.a');
    const hubBefore = (await hubAccessLog(patient.id)).length;
    expect(await open(patient.mrn)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await hubAccessLog(patient.id)).toHaveLength(hubBefore);
    expect(host.offWardCharts.size).toBe(0);
  });

  it('drops the chart when the grant expires: reads are refused and the copy is gone, with an "expired" stop audited', async () => {
    const patient = offWardPatient();
    await signIn('paul.a');
    const before = host.audit.head().sequence;
    expect(await open(patient.mrn)).toMatchObject({ ok: true });
    await workFor(19 * MINUTE);
    expect(await transport.send('chart:summary', { patientId: patient.id })).toMatchObject({
      ok: true,
      value: { patient: { id: patient.id } },
    });
    await workFor(2 * MINUTE);
    expect(host.offWardCharts.holds(patient.id)).toBe(false);
    for (const [channel, request] of [
      ['chart:summary', { patientId: patient.id }],
      ['chart:trend', { patientId: patient.id, code: '8867-4', from: FROM, to: TO }],
      ['chart:mar', { patientId: patient.id, from: FROM, to: TO }],
    ] as const) {
      expect(await transport.send(channel, request), channel).toMatchObject({ ok: false, error: { code: 'BTG_REQUIRED' } });
    }
    const stops = auditSince(before).filter((e) => e.action === 'btg-stop' && e.patient === patient.id);
    expect(stops).toHaveLength(1);
    expect(stops[0]!.detail).toEqual({ reason: 'expired' });
  });

  it('drops the chart and ends the grant when the session locks; it stays closed after the unlock', async () => {
    const patient = offWardPatient();
    await signIn('paul.a');
    const before = host.audit.head().sequence;
    expect(await open(patient.mrn)).toMatchObject({ ok: true });
    power.emit('lock-screen');
    expect(host.offWardCharts.holds(patient.id)).toBe(false);
    const stops = auditSince(before).filter((e) => e.action === 'btg-stop' && e.patient === patient.id);
    expect(stops.map((e) => e.detail.reason)).toEqual(['ended']);
    await signIn('paul.a');
    expect(await transport.send('chart:summary', { patientId: patient.id })).toMatchObject({ ok: false, error: { code: 'BTG_REQUIRED' } });
  });

  it('drops the chart on a user switch and on sign-out', async () => {
    const patient = offWardPatient();
    await signIn('paul.a');
    expect(await open(patient.mrn)).toMatchObject({ ok: true });
    await transport.send('session:switch-user', {});
    expect(host.offWardCharts.size).toBe(0);
    await signIn('paul.a');
    expect(await open(patient.mrn)).toMatchObject({ ok: true });
    expect(host.offWardCharts.size).toBe(1);
    await transport.send('session:sign-out', {});
    expect(host.offWardCharts.size).toBe(0);
  });

  it('refuses an unknown MRN and a patient of this ward, audited, with no grant', async () => {
    await signIn('paul.a');
    const before = host.audit.head().sequence;
    expect(await open('MRN0000000')).toMatchObject({ ok: false, error: { code: 'PATIENT_NOT_FOUND' } });
    const own = wardA.patients[0]!.patient.identifier!.find((i) => i.system === MRN_SYSTEM)!.value!;
    expect(await open(own)).toMatchObject({ ok: false, error: { code: 'PATIENT_ON_WARD' } });
    const entries = auditSince(before);
    expect(entries.map((e) => [e.action, e.outcome, e.detail.refused])).toEqual([
      ['query', 'minor-failure', 'PATIENT_NOT_FOUND'],
      ['query', 'minor-failure', 'PATIENT_ON_WARD'],
    ]);
    expect(entries.every((e) => e.purposeOfUse === 'ETREAT' && e.query?.startsWith(`Patient?identifier=${MRN_SYSTEM}|`))).toBe(true);
    expect(host.offWardCharts.size).toBe(0);
  });

  it('says the hub cannot be reached when it cannot, grants nothing and keeps nothing', async () => {
    const patient = offWardPatient();
    await signIn('paul.a');
    const before = host.audit.head().sequence;
    proxy.setFaults({ drop: 1 });
    const result = await open(patient.mrn);
    expect(result).toMatchObject({ ok: false, error: { code: 'HUB_UNREACHABLE' } });
    if (!result.ok) expect(result.error.message).toMatch(/cannot be reached/);
    expect(host.offWardCharts.size).toBe(0);
    const entries = auditSince(before);
    expect(entries.map((e) => e.action)).toEqual(['query']);
    expect(entries[0]).toMatchObject({ outcome: 'minor-failure', detail: { refused: 'HUB_UNREACHABLE' } });
  });
});

describe('break-the-glass off the ward on a workstation that is not enrolled', () => {
  it('says so clearly, audited', async () => {
    const t = await startTestHost('off-ward-not-enrolled');
    try {
      await t.signIn('paul');
      expect(
        await t.transport.send('chart:open-off-ward', {
          mrn: 'MRN1234567',
          reasonCode: 'COC',
          reasonText: 'Transferred overnight, continuing care',
        }),
      ).toMatchObject({ ok: false, error: { code: 'NOT_ENROLLED' } });
      expect(t.host.audit.find({ limit: 1000 }).filter((e) => e.action === 'query' && e.detail.refused === 'NOT_ENROLLED')).toHaveLength(1);
      expect(t.host.offWardCharts.size).toBe(0);
    } finally {
      await t.close();
    }
  });
});
