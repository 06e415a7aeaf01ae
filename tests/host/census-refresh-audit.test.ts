// A census refresh that shows the same patients to the same user records nothing new; only a change
// is recorded (issue 14: one chart opening recorded 3–15 rows and background refreshes 880 rows in
// 7 minutes). Through the window's channels of a host enrolled at a real hub over TLS: a nurse's
// census, refreshed by hand and after syncs, is recorded once per patient; a patient admitted
// meanwhile adds one entry; the admin reads that back in the audit view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntryViewData, CensusEntryData } from '../../shared/contract/index.js';
import { TEST_WARD } from '../../electron/session/test-helpers.js';
import { admitPatient } from '../support/hub-fixtures.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'census-refresh-audit', patients: 3 });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function censusIds(): Promise<string[]> {
  return (await t.call<CensusEntryData[]>('chart:census', {})).map((entry) => entry.patientId).sort();
}

describe('census refreshes in the audit trail', () => {
  it('records each patient once per session however often the census refreshes, and one entry for a patient newly listed', async () => {
    const nina = t.staff.find((s) => s.username === 'nina')!;
    await t.signIn('nina');
    await t.call('sync:now', {});
    const first = await censusIds();
    expect(first).toHaveLength(3);
    // The screen refreshes the census on its own and after each sync: same patients, same user.
    for (let i = 0; i < 5; i++) {
      await t.call('sync:now', {});
      expect(await censusIds()).toEqual(first);
    }
    // A patient is admitted to the ward; the next sync and refresh list them.
    const admitted = await admitPatient(t.hub.db, TEST_WARD);
    await t.call('sync:now', {});
    const second = await censusIds();
    expect(second).toEqual([...first, admitted.patientId].sort());
    expect(await censusIds()).toEqual(second);

    await t.signIn('adam');
    const view = await t.call<{ entries: AuditEntryViewData[] }>('audit:view', { userId: nina.userId, limit: 1000 });
    const queries = view.entries.filter((entry) => entry.action === 'query');
    expect(queries.map((entry) => entry.patient).sort()).toEqual(second);
    // The newly listed patient's entry came after the others'.
    const newest = queries.find((entry) => entry.patient === admitted.patientId)!;
    expect(queries.every((entry) => entry === newest || entry.sequence < newest.sequence)).toBe(true);
  });
});
