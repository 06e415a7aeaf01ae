// An open chart reloads its views whenever the host announces a change (sync:changed), so it shows
// what the vault holds; those reloads are refreshes (`refresh: true`) and record no new chart-read:
// one per opening of each view, per patient, per session (review 12 #7: 26 `trend` entries for one
// opening and one save). The window cannot spare more than a refresh: another patient, a new
// session or a load not called a refresh is recorded. Through the window's channels of a host
// enrolled at a real hub over TLS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'chart-refresh-audit', patients: 2 });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const HOUR = 3_600_000;
const window = (): { from: string; to: string } => ({
  from: new Date(Date.now() - 24 * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  to: new Date(Date.now() + HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z'),
});

/** Each view the chart reloads, as the window calls it. */
const VIEWS: ReadonlyArray<{ view: string; channel: string; request: (patientId: string) => Record<string, unknown> }> = [
  { view: 'summary', channel: 'chart:summary', request: (patientId) => ({ patientId }) },
  { view: 'trend', channel: 'chart:trend', request: (patientId) => ({ patientId, code: '8867-4', ...window() }) },
  { view: 'mar', channel: 'chart:mar', request: (patientId) => ({ patientId, ...window() }) },
  { view: 'notes', channel: 'chart:notes', request: (patientId) => ({ patientId, offset: 0, limit: 20 }) },
  { view: 'recorded-entries', channel: 'chart:recorded-entries', request: (patientId) => ({ patientId, ...window() }) },
];

describe('chart views reloaded by the window', () => {
  it.each(VIEWS)('$channel: a refresh records no new chart-read; a new opening, another patient or a new session does', async (v) => {
    await t.signIn('nina');
    await t.call('sync:now', {});
    const [shown, other] = [t.ward.patients[0]!.patient.id!, t.ward.patients[1]!.patient.id!];
    const reads = (patientId: string): number =>
      t.host.audit.find({ patient: patientId }).filter((e) => e.action === 'chart-read' && e.detail.view === v.view).length;
    const before = reads(shown);
    await t.call(v.channel, v.request(shown));
    expect(reads(shown)).toBe(before + 1);
    // The chart open, syncs come and go: each reload is a refresh of the same opening.
    for (let i = 0; i < 3; i++) {
      await t.call('sync:now', {});
      await t.call(v.channel, { ...v.request(shown), refresh: true });
    }
    expect(reads(shown)).toBe(before + 1);
    // Another patient called a refresh is a new opening; and back to the first patient, too.
    const otherBefore = reads(other);
    await t.call(v.channel, { ...v.request(other), refresh: true });
    expect(reads(other)).toBe(otherBefore + 1);
    await t.call(v.channel, { ...v.request(shown), refresh: true });
    expect(reads(shown)).toBe(before + 2);
    // A load not called a refresh is always recorded.
    await t.call(v.channel, v.request(shown));
    expect(reads(shown)).toBe(before + 3);
    // A new session is a new opening, whatever the window says.
    await t.signIn('nina');
    await t.call(v.channel, { ...v.request(shown), refresh: true });
    expect(reads(shown)).toBe(before + 4);
  });
});
