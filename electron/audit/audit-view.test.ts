// The audit view answers the admin (privacy) role only, filters by patient, user and time, pages,
// and is itself recorded.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSessionError } from '../session/index.js';
import { sessionHarness, signInAs, type SessionHarness } from '../session/test-helpers.js';
import { openAuditLog, type AuditLog } from './audit-log.js';
import { viewAuditTrail } from './audit-view.js';
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
    expect(page.entries.map((e) => e.user)).toEqual(['u-nurse-1', 'u-nurse-2']);
    expect(page.nextAfterSequence).toBeNull();
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
    expect(viewAuditTrail(h.manager, log, { userId: 'u-nurse-1' }).entries.map((e) => e.patient)).toEqual(['p-1', 'p-2']);
    const window = viewAuditTrail(h.manager, log, { from: '2026-03-02T08:01:00Z', to: '2026-03-02T08:02:00Z' });
    expect(window.entries.map((e) => e.sequence)).toEqual([2, 3]);
    const first = viewAuditTrail(h.manager, log, { userId: 'u-nurse-1', limit: 1 });
    expect(first.entries.map((e) => e.sequence)).toEqual([1]);
    const second = viewAuditTrail(h.manager, log, { userId: 'u-nurse-1', limit: 1, afterSequence: first.nextAfterSequence! });
    expect(second.entries.map((e) => e.sequence)).toEqual([3]);
  });

  it('refuses an unreadable date instead of showing everything', async () => {
    await signInAs(h, 'adam');
    expect(() => viewAuditTrail(h.manager, log, { from: 'yesterday' })).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
  });
});
