// Every channel of the IPC contract, walked: none serves patient data without an active session
// whose role permits it, and each one that returns patient data writes exactly one audit entry per
// patient it returned, before answering. A new channel must be classified here or this file does
// not type-check.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invokeChannel, invokeChannelNames, type InvokeChannelName } from '../../shared/contract/index.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';

const FROM = '2020-01-01T00:00:00Z';
const TO = '2030-01-01T00:00:00Z';

interface Walk {
  /** A valid request for the channel (a patient on the ward where one is needed). */
  request(patientId: string): unknown;
  /** The patients an answer holds data of, or null for a channel that carries no patient data. */
  patientsIn: ((value: unknown) => string[]) | null;
}

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
  'session:break-glass': { request: (patientId) => ({ patientId, reasonCode: 'ETREAT', reasonText: 'Cardiac arrest on the ward, chart needed now' }), patientsIn: null },
  'chart:census': { request: () => ({}), patientsIn: (value) => (value as { patientId: string }[]).map((e) => e.patientId) },
  'chart:summary': { request: (patientId) => ({ patientId }), patientsIn: summaryPatients },
  'chart:trend': { request: (patientId) => ({ patientId, code: '8867-4', from: FROM, to: TO }), patientsIn: (value) => ((value as unknown[]).length > 0 ? ['*'] : []) },
  'chart:mar': { request: (patientId) => ({ patientId, from: FROM, to: TO }), patientsIn: (value) => ((value as unknown[]).length > 0 ? ['*'] : []) },
};

const patientChannels = invokeChannelNames().filter((name) => WALK[name].patientsIn !== null);
const guardedChannels = invokeChannelNames().filter((name) => invokeChannel(name)!.permission !== 'public');

let t: TestHost;
beforeEach(async () => {
  t = await startTestHost('contract-walk');
});
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
      } else if (name === 'chart:summary') {
        expect(result, name).toMatchObject({
          ok: true,
          value: { patient: { id: patientOnWard() }, allergies: [], problems: [], medications: [], vitals: [], labs: [], alerts: [] },
        });
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
      const written = t.host.audit.find({ user: 'u-nurse-1' }).filter((e) => e.patient !== null).slice(before);
      expect(written.length, name).toBe(returned.length);
      const expectedPatients = returned.map((id) => (id === '*' ? patientOnWard() : id)).sort();
      expect(written.map((e) => e.patient).sort(), name).toEqual(expectedPatients);
    }
  });

  it('asks for break-the-glass before any channel reads a restricted chart, and audits nothing of it', async () => {
    await t.signIn('nina');
    for (const name of patientChannels.filter((n) => n !== 'chart:census')) {
      const result = await t.transport.send(name, WALK[name].request(t.restrictedPatientId));
      expect(result, name).toMatchObject({ ok: false, error: { code: 'BTG_REQUIRED' } });
    }
    expect(t.host.audit.find({ patient: t.restrictedPatientId })).toEqual([]);
  });

  it('opens a restricted chart through break-the-glass, with the grant and the read both in the audit trail', async () => {
    await t.signIn('nina');
    expect(await t.transport.send('session:break-glass', { patientId: t.restrictedPatientId, reasonCode: 'ETREAT', reasonText: 'too short' }))
      .toMatchObject({ ok: false, error: { code: 'REJECTED' } });
    const grant = await t.transport.send('session:break-glass', { patientId: t.restrictedPatientId, reasonCode: 'ETREAT', reasonText: 'Cardiac arrest on the ward, chart needed now' });
    expect(grant).toMatchObject({ ok: true, value: { patientId: t.restrictedPatientId } });
    expect(await t.transport.send('chart:summary', { patientId: t.restrictedPatientId })).toMatchObject({ ok: true, value: { patient: { id: t.restrictedPatientId } } });
    const actions = t.host.audit.find({ patient: t.restrictedPatientId }).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['btg-start', 'chart-read']));
  });
});
