// The privacy officer's view of the workstation's audit trail, through the host's channels: who did
// what to whom, as usernames and patient names with MRNs resolved when the view is read (a patient
// the chart cache no longer holds shows its id, "not held here"), filtered by username, MRN or name,
// newest first, a page at a time; and the export of what the filter selects, written by the host to
// the file chosen in the save dialog, recorded in the trail first. Only the privacy role may do it.
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntryViewData } from '../../shared/contract/index.js';
import type { SaveFileRequest } from '../../electron/host/index.js';
import { censusName, mrnOf } from '../e2e/support/ward.js';
import { startTestHost, type TestHost } from '../support/host-harness.js';

interface Page {
  readonly entries: AuditEntryViewData[];
  readonly nextBeforeSequence: number | null;
}

let t: TestHost;
let folder: string;
/** What the save dialog answers next: a file name in `folder`, or null (cancelled). */
let chosen: string | null;
const asked: SaveFileRequest[] = [];

beforeEach(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'wardline-audit-export-'));
  chosen = 'trail.csv';
  asked.length = 0;
  t = await startTestHost('audit-trail-channels', {
    saveFile: {
      choose: async (request) => {
        asked.push(request);
        return chosen === null ? null : path.join(folder, chosen);
      },
    },
  });
});

afterEach(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
});

async function send<T>(channel: string, request: unknown): Promise<T> {
  const result = await t.transport.send(channel, request);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** nina opens the first two patients' charts and signs out; a wrong password is tried for her. */
async function ninaReadsTwoCharts(): Promise<void> {
  await t.signIn('nina');
  for (const p of t.ward.patients.slice(0, 2)) await send('chart:summary', { patientId: p.patient.id! });
  await send('session:sign-out', {});
  const refused = await t.transport.send('session:sign-in', { username: 'Nina', password: 'not-her-password' });
  expect(refused.ok).toBe(false);
}

describe("the workstation's audit view", () => {
  it('names the user and the patient (name and MRN) when read, newest first, and pages back in time', async () => {
    await ninaReadsTwoCharts();
    const [first, second] = t.ward.patients;
    await t.signIn('adam');
    const page = await send<Page>('audit:view', {});
    const sequences = page.entries.map((e) => e.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
    const reads = page.entries.filter((e) => e.action === 'chart-read');
    expect(reads.map((e) => [e.username, e.patientLabel])).toEqual([
      ['nina', { name: censusName(second!.patient), mrn: mrnOf(second!.patient) }],
      ['nina', { name: censusName(first!.patient), mrn: mrnOf(first!.patient) }],
    ]);
    expect(page.entries.find((e) => e.action === 'sign-in-failed')).toMatchObject({ usernameTried: 'nina' });

    const one = await send<Page>('audit:view', { limit: 1 });
    expect(one.entries).toHaveLength(1);
    const older = await send<Page>('audit:view', { limit: 1, beforeSequence: one.nextBeforeSequence! });
    expect(older.entries[0]!.sequence).toBeLessThan(one.entries[0]!.sequence);
  });

  it('filters by username (with the sign-ins that tried it), by MRN and by words of the name, and records the patients, not what was typed', async () => {
    await ninaReadsTwoCharts();
    const [first, second] = t.ward.patients;
    await t.signIn('adam');

    const byUser = await send<Page>('audit:view', { username: ' NINA ' });
    expect(byUser.entries.length).toBeGreaterThan(2);
    expect(byUser.entries.every((e) => e.username === 'nina' || e.usernameTried?.toLowerCase() === 'nina')).toBe(true);
    expect(byUser.entries.some((e) => e.action === 'sign-in-failed')).toBe(true);
    expect((await send<Page>('audit:view', { username: 'nobody-here' })).entries).toEqual([]);

    const mrn = mrnOf(first!.patient);
    const byMrn = await send<Page>('audit:view', { patient: mrn });
    expect(byMrn.entries.length).toBeGreaterThan(0);
    expect(new Set(byMrn.entries.map((e) => e.patient))).toEqual(new Set([first!.patient.id]));

    const family = second!.patient.name![0]!.family!;
    const byName = await send<Page>('audit:view', { patient: family.toUpperCase() });
    expect(byName.entries.map((e) => e.patient)).toContain(second!.patient.id);
    expect(byName.entries.every((e) => e.patientLabel?.name.toLowerCase().includes(family.toLowerCase()))).toBe(true);

    // The trail holds the patient the MRN designated, never the MRN or the name typed.
    const views = t.host.audit.find({ user: 'u-admin-1' }).filter((e) => e.action === 'audit-view');
    expect(views.map((e) => e.patient)).toContain(first!.patient.id);
    expect(JSON.stringify(views)).not.toContain(mrn);
    expect(JSON.stringify(views).toLowerCase()).not.toContain(family.toLowerCase());
  });

  it('shows the id of a patient the chart cache no longer holds, "not held here"', async () => {
    await t.signIn('nina');
    t.host.audit.record({ action: 'purge', user: null, patient: 'gone-patient-1', requestor: false });
    t.host.audit.record({ action: 'chart-read', user: 'u-someone-removed', patient: t.ward.patients[0]!.patient.id! });
    await send('session:sign-out', {});
    await t.signIn('adam');
    const page = await send<Page>('audit:view', { limit: 10 });
    expect(page.entries.find((e) => e.action === 'purge')).toMatchObject({ patient: 'gone-patient-1', patientLabel: null });
    expect(page.entries.find((e) => e.user === 'u-someone-removed')).toMatchObject({ username: null });
  });

  it('exports what the filter selects to the file chosen in the save dialog, readable by this OS user only, and records the export first', async () => {
    await ninaReadsTwoCharts();
    const [first] = t.ward.patients;
    await t.signIn('adam');
    const shown = await send<Page>('audit:view', { username: 'nina', limit: 1000 });

    const answer = await send<{ saved: boolean; fileName: string; entries: number }>('audit:export', { username: 'nina' });
    expect(answer).toEqual({ saved: true, fileName: 'trail.csv', entries: shown.entries.length });
    expect(asked).toHaveLength(1);
    expect(asked[0]!.suggestedName).toMatch(/^wardline-audit-\d{8}T\d{6}Z\.csv$/);
    const file = path.join(folder, 'trail.csv');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(header).toBe(
      'sequence,time,userId,username,usernameTried,action,outcome,purposeOfUse,patientId,patientName,mrn,patientHeldHere,session,query,resources,detail,hash,auditEventId',
    );
    expect(rows.map((row) => Number(row.split(',')[0]))).toEqual(shown.entries.map((e) => e.sequence));
    expect(rows.some((row) => row.includes(mrnOf(first!.patient)) && row.includes(',nina,'))).toBe(true);

    const exports = t.host.audit.find({ user: 'u-admin-1' }).filter((e) => e.action === 'audit-export');
    expect(exports).toHaveLength(1);
    expect(exports[0]).toMatchObject({ patient: null, detail: { by: 'view', format: 'csv', filterUsername: true } });
    // Recorded before the file was written: it is not in the export it records.
    expect(rows.map((row) => Number(row.split(',')[0]))).not.toContain(exports[0]!.sequence);
  });

  it('writes and records nothing when the save dialog is cancelled', async () => {
    await t.signIn('adam');
    chosen = null;
    expect(await send('audit:export', {})).toEqual({ saved: false });
    expect(t.host.audit.find({ user: 'u-admin-1' }).filter((e) => e.action === 'audit-export')).toEqual([]);
    expect(existsSync(path.join(folder, 'trail.csv'))).toBe(false);
  });

  it('refuses the view and the export to every other role, before any save dialog opens', async () => {
    for (const username of ['nina', 'paul', 'carla']) {
      await t.signIn(username);
      expect(await t.transport.send('audit:view', { patient: mrnOf(t.ward.patients[0]!.patient) })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      expect(await t.transport.send('audit:export', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      await send('session:sign-out', {});
    }
    expect(asked).toEqual([]);
    expect(t.host.audit.find({}).filter((e) => e.action === 'audit-export' || e.action === 'audit-view')).toEqual([]);
  });
});
