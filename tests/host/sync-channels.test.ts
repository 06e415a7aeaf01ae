// The sync banner's channels on a workstation enrolled at a real hub: sync:status and sync:now tell
// connectivity, how old the data is and how far a first load has come, with the policy's thresholds;
// the sync:changed event follows every change by itself (the hub failing, coming back, going away)
// by the end of the first cycle that meets it, and every local write at once. A whole clean cycle after the hub came back
// says online at once. sync:patient-freshness answers an open chart its patient's data as of after
// each cycle, without an audited read. No event ever carries a patient id.
import { afterEach, describe, expect, it } from 'vitest';
import { TROUBLE_WINDOW_MS } from '../../electron/sync/index.js';
import { isRestricted } from '../../shared/access/index.js';
import type { EventMessage, SyncStatusData } from '../../shared/contract/index.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost | null = null;

afterEach(async () => {
  await t?.close();
  t = null;
});

/** A patient whose chart a nurse of the ward opens without break-the-glass. */
const openChartPatient = (host: EnrolledTestHost): string => host.ward.patients.find((p) => !isRestricted(p.patient))!.patient.id!;

const syncEvents = (events: readonly EventMessage[]): SyncStatusData[] =>
  events.filter((e) => e.event === 'sync:changed').map((e) => e.payload as SyncStatusData);

function expectNoPatientIds(host: EnrolledTestHost): void {
  const text = JSON.stringify(host.transport.events.filter((e) => e.event === 'sync:changed'));
  for (const patient of host.ward.patients) expect(text).not.toContain(patient.patient.id!);
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the sync banner', () => {
  it("tells how far the first load has come, then how old the data is, against the policy's thresholds", async () => {
    const host = (t = await startEnrolledTestHost({ seed: 'sync-channels-load', patients: 4 }));
    await host.signIn('carla');
    // Signing in reached the hub; nothing has been synced yet.
    expect(await host.call('sync:status', {})).toEqual({
      enrolled: true,
      state: expect.stringMatching(/^(online|degraded)$/),
      lastSuccess: null,
      dataAsOf: null,
      staleness: 'never-synced',
      outboxPending: 0,
      conflicts: 0,
      lastError: null,
      initialLoad: null,
      staleAmberMs: 15 * 60_000,
      staleRedMs: 60 * 60_000,
      pollIntervalMs: 15_000,
      stopped: null,
    });
    const status = await host.call<SyncStatusData>('sync:now', {});
    expect(status).toMatchObject({ enrolled: true, staleness: 'fresh', initialLoad: null, lastError: null, outboxPending: 0 });
    expect(['online', 'degraded']).toContain(status.state);
    expect(status.dataAsOf).not.toBeNull();

    const events = syncEvents(host.transport.events);
    const progress = events.map((e) => e.initialLoad).filter((p) => p !== null);
    // One event per patient loaded (a connectivity change meanwhile repeats the current count).
    expect(new Set(progress.map((p) => p.total))).toEqual(new Set([4]));
    expect([...new Set(progress.map((p) => p.loaded))].filter((n) => n > 0)).toEqual([1, 2, 3, 4]);
    expect(events.at(-1)).toMatchObject({ initialLoad: null, lastSuccess: status.lastSuccess });
    expectNoPatientIds(host);
  });

  it('turns to hub-down, back, and to offline by itself, by the end of the first cycle that meets it, as the hub fails, recovers and goes away', async () => {
    const pollMs = 400;
    const host = (t = await startEnrolledTestHost({
      seed: 'sync-channels-offline',
      patients: 2,
      startSync: true,
      syncPolicy: { intervalMs: pollMs },
    }));
    const events = () => syncEvents(host.transport.events);
    await until('the first sync', () => events().find((e) => e.lastSuccess !== null));

    host.proxy.setFaults({ error5xx: 1 });
    const down = await until('hub-down', () => events().find((e) => e.state === 'hub-down'));
    expect(down.enrolled).toBe(true);
    const failed = await until('the failed cycle', () => events().find((e) => e.lastError === 'HUB_ERROR'));
    expect(failed.state).toBe('hub-down');

    host.proxy.setFaults(null);
    const seen = events().length;
    await until('the hub back', () =>
      events()
        .slice(seen)
        .find((e) => (e.state === 'online' || e.state === 'degraded') && e.lastError === null),
    );

    const cycles = events().filter((e) => e.lastError === null && e.lastSuccess !== null).length;
    await until('another cycle', () =>
      events().filter((e) => e.lastError === null && e.lastSuccess !== null).length > cycles ? true : undefined,
    );
    // The hub goes away. Nobody asks: the scheduler's next cycle meets it, and the first cycle that
    // fails has told the banner "offline" by the time it ends (not a later one, nor a poll).
    const sync = host.host.sync!;
    const atStop = events().length;
    let firstFailure: { readonly offlineTold: boolean } | undefined;
    const stopWatching = sync.onActivity((activity) => {
      if (activity.kind !== 'cycle-ended' || activity.ok || firstFailure !== undefined) return;
      firstFailure = {
        offlineTold: events()
          .slice(atStop)
          .some((e) => e.state === 'offline'),
      };
    });
    await host.proxy.stop();
    const failure = await until('the first failed cycle', () => firstFailure, 30_000);
    stopWatching();
    expect(failure.offlineTold, 'offline was told when the first failed cycle ended').toBe(true);
    const offline = events().find((e, i) => i >= atStop && e.state === 'offline')!;
    expect(offline.enrolled).toBe(true);
    await until('the failed cycle recorded', () => events().find((e) => e.state === 'offline' && e.lastError === 'HUB_UNREACHABLE'));
    expectNoPatientIds(host);
  });

  it('says online after the first clean cycle once the hub is back, not a minute later', async () => {
    const host = (t = await startEnrolledTestHost({ seed: 'sync-channels-back', patients: 2 }));
    await host.signIn('nina');
    await host.call('sync:now', {});
    // The failing cycle's trouble comes after this moment.
    const troubleFrom = Date.now();
    host.proxy.setFaults({ error5xx: 1 });
    expect(await host.call<SyncStatusData>('sync:now', {})).toMatchObject({ state: 'hub-down', lastError: 'HUB_ERROR' });
    host.proxy.setFaults(null);
    // A cycle may meet a slow answer on a busy machine (that keeps "connection problems", rightly);
    // the next clean one ends it. The trouble window alone would take a minute.
    let status = await host.call<SyncStatusData>('sync:now', {});
    for (let cycle = 1; cycle < 3 && status.state !== 'online'; cycle += 1) status = await host.call<SyncStatusData>('sync:now', {});
    expect(status).toMatchObject({ state: 'online', lastError: null });
    // Less than the trouble window after the trouble: a clean cycle said online, not the window running out.
    expect(Date.now() - troubleFrom).toBeLessThan(TROUBLE_WINDOW_MS);
    expect(syncEvents(host.transport.events).at(-1)).toMatchObject({ state: 'online', lastError: null });
  });

  it('tells the banner of a local write at once, with the waiting count, without waiting for a cycle', async () => {
    const host = (t = await startEnrolledTestHost({ seed: 'sync-channels-write', patients: 2 }));
    await host.signIn('nina');
    await host.call('sync:now', {});
    const patientId = openChartPatient(host);
    const seen = syncEvents(host.transport.events).length;
    await host.call('chart:record-vitals', { patientId, vitals: { heartRate: 82, systolic: 124, diastolic: 78 } });
    // No scheduler runs here: only the write itself can have told it.
    expect(syncEvents(host.transport.events).slice(seen)).toEqual([expect.objectContaining({ outboxPending: 1 })]);
    expectNoPatientIds(host);
  });

  it("answers an open chart its patient's data as of after each cycle, with no audited read", async () => {
    const host = (t = await startEnrolledTestHost({ seed: 'sync-channels-freshness', patients: 3 }));
    await host.signIn('nina');
    const patientId = openChartPatient(host);
    const first = await host.call<SyncStatusData>('sync:now', {});
    const patientReads = (): number => host.host.audit.find({}).filter((e) => e.patient !== null).length;
    const before = patientReads();
    expect(await host.call('sync:patient-freshness', { patientId })).toEqual({ dataAsOf: first.dataAsOf, staleness: 'fresh' });
    await until('a later millisecond', () => (Date.now() > Date.parse(first.dataAsOf!) + 2 ? true : undefined));
    const second = await host.call<SyncStatusData>('sync:now', {});
    expect(second.dataAsOf).not.toBe(first.dataAsOf);
    // The chart's time follows the banner's, cycle by cycle.
    expect(await host.call('sync:patient-freshness', { patientId })).toEqual({ dataAsOf: second.dataAsOf, staleness: 'fresh' });
    expect(patientReads()).toBe(before);
    // A patient the chart cache does not track: nothing to say (the chart keeps its summary's).
    expect(await host.call('sync:patient-freshness', { patientId: 'not-on-this-ward' })).toBeNull();
  });
});
