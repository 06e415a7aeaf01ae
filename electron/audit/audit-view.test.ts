// The audit view answers the admin (privacy) role only, filters by patient, user and time, lists
// newest first, pages, and is itself recorded; so is an export of what a filter selects.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSessionError } from '../session/index.js';
import { sessionHarness, signInAs, type SessionHarness } from '../session/test-helpers.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { exportAuditView, viewAuditTrail } from './audit-view.js';
import { temporaryAuditDir, type AuditTestDir } from './test-helpers.js';

let dir: AuditTestDir;
let log: AuditLog;
let h: SessionHarness;
let now = 0;

beforeEach(async () => {
  now = Date.UTC(2026, 2, 2, 8);
  dir = temporaryAuditDir('view');
  log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, now: () => now });
  h = sessionHarness();
  for (const [user, patient] of [
    ['u-nurse-1', 'p-1'],
    ['u-nurse-2', 'p-1'],
    ['u-nurse-1', 'p-2'],
    ['u-phys-1', 'p-3'],
  ] as const) {
    log.record({ action: 'chart-read', user, patient, resources: [`Patient/${patient}`] });
    now += 60_000;
  }
});

afterEach(async () => {
  h.manager.close();
  log.close();
  await dir.remove();
});

function refusal(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isSessionError(error) ? error.code : 'other';
  }
  return undefined;
}

describe('the audit view', () => {
  it('refuses a nurse, a physician and a clerk, and anyone when nobody is signed in', async () => {
    expect(refusal(() => viewAuditTrail(h.manager, log, {}))).toBe('NOT_SIGNED_IN');
    for (const username of ['nina', 'paul', 'carla']) {
      await signInAs(h, username);
      expect(refusal(() => viewAuditTrail(h.manager, log, { patientId: 'p-1' }))).toBe('FORBIDDEN');
      h.manager.signOut();
    }
    expect(log.head().sequence).toBe(4);
  });

  it("shows the admin who opened a patient's chart, and records that the admin looked", async () => {
    await signInAs(h, 'adam');
    const page = viewAuditTrail(h.manager, log, { patientId: 'p-1' });
    expect(page.entries.map((e) => e.user)).toEqual(['u-nurse-2', 'u-nurse-1']);
    expect(page.nextBeforeSequence).toBeNull();
    expect(log.get(log.head().sequence)).toMatchObject({
      action: 'audit-view',
      user: 'u-admin-1',
      patient: 'p-1',
      purposeOfUse: 'HCOMPL',
      detail: { entries: 2 },
    });
  });

  it('filters by user and time range and pages through the results', async () => {
    await signInAs(h, 'adam');
    expect(viewAuditTrail(h.manager, log, { userId: 'u-nurse-1' }).entries.map((e) => e.patient)).toEqual(['p-2', 'p-1']);
    const window = viewAuditTrail(h.manager, log, { from: '2026-03-02T08:01:00Z', to: '2026-03-02T08:02:00Z' });
    expect(window.entries.map((e) => e.sequence)).toEqual([3, 2]);
    const first = viewAuditTrail(h.manager, log, { userId: 'u-nurse-1', limit: 1 });
    expect(first.entries.map((e) => e.sequence)).toEqual([3]);
    const second = viewAuditTrail(h.manager, log, { userId: 'u-nurse-1', limit: 1, beforeSequence: first.nextBeforeSequence! });
    expect(second.entries.map((e) => e.sequence)).toEqual([1]);
    expect(second.nextBeforeSequence).toBeNull();
  });

  it('filters by the patients and users a search designated, and records each patient looked at, never what was typed', async () => {
    log.record({ action: 'sign-in-failed', user: null, detail: { mode: 'online', reason: 'bad-password', username: 'Nina' } });
    await signInAs(h, 'adam');
    const page = viewAuditTrail(h.manager, log, { patients: ['p-1', 'p-3'], users: ['u-nurse-2', 'u-phys-1'] });
    expect(page.entries.map((e) => [e.user, e.patient])).toEqual([
      ['u-phys-1', 'p-3'],
      ['u-nurse-2', 'p-1'],
    ]);
    const recorded = log.find({ user: 'u-admin-1' }).filter((e) => e.action === 'audit-view');
    expect(recorded.map((e) => [e.patient, e.purposeOfUse])).toEqual([
      ['p-1', 'HCOMPL'],
      ['p-3', 'HCOMPL'],
    ]);
    expect(viewAuditTrail(h.manager, log, { patients: [] }).entries).toEqual([]);
    // A username finds the user's entries and the failed sign-ins that tried it (in any case).
    const nina = viewAuditTrail(h.manager, log, { users: ['u-nurse-1'], usernameTried: 'nina' });
    expect(nina.entries.map((e) => e.action)).toEqual(['sign-in-failed', 'chart-read', 'chart-read']);
    expect(viewAuditTrail(h.manager, log, { users: [], usernameTried: 'nobody' }).entries).toEqual([]);
  });

  it('exports every entry the filter selects, newest first, after recording the export', async () => {
    log.recordAll(Array.from({ length: 1_200 }, () => ({ action: 'chart-read' as const, user: 'u-nurse-3', patient: 'p-9' })));
    await signInAs(h, 'adam');
    const before = log.head().sequence;
    const exported = [...exportAuditView(h.manager, log, { userId: 'u-nurse-3' }, { format: 'csv' })];
    expect(exported).toHaveLength(1_200);
    expect(exported[0]!.sequence).toBe(before);
    expect(exported.every((e, i) => i === 0 || e.sequence < exported[i - 1]!.sequence)).toBe(true);
    expect(log.get(before + 1)).toMatchObject({
      action: 'audit-export',
      user: 'u-admin-1',
      detail: { by: 'view', format: 'csv', filterUser: 'u-nurse-3' },
    });
    h.manager.signOut();
    await signInAs(h, 'nina');
    expect(refusal(() => exportAuditView(h.manager, log, {}, { format: 'csv' }))).toBe('FORBIDDEN');
  });

  it('refuses an unreadable date instead of showing everything', async () => {
    await signInAs(h, 'adam');
    expect(() => viewAuditTrail(h.manager, log, { from: 'yesterday' })).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});
