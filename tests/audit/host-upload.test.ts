// A running workstation host sends its audit trail by itself: nobody calls the uploader. After its
// sync cycles the hub holds every entry exactly once with the chain intact; entries recorded while
// the hub cannot be reached wait, and reach the hub once it is back.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditHeldByHub } from '../support/audit-at-hub.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

let t: EnrolledTestHost;

beforeAll(async () => {
  t = await startEnrolledTestHost({
    seed: 'host-audit-upload',
    startSync: true,
    syncPolicy: { intervalMs: 300, offlineBackoffMaxMs: 600, retries: 1 },
  });
});

afterAll(async () => {
  await t?.close();
});

async function hubHoldsEverything(): Promise<void> {
  const head = t.host.audit.head();
  const deviceId = t.host.audit.queue.hubDeviceId();
  expect(deviceId).not.toBeNull();
  const held = await auditHeldByHub(t.hub, deviceId!);
  expect(held).toMatchObject({ events: head.sequence, sequences: head.sequence });
  expect(held.chain).toEqual({ highestContiguousSequence: head.sequence, gaps: [], hashMismatches: [], reusedSequences: [] });
  expect(t.host.audit.queue.pendingCount()).toBe(0);
}

describe('the running host uploads its audit trail', () => {
  it('on the sync schedule, exactly once, with the chain intact', async () => {
    await t.signIn('nina');
    // The ward is on the workstation once the scheduler's first cycle has ended.
    await vi.waitFor(() => expect(t.host.sync!.status().lastSuccess).not.toBeNull(), { timeout: 60_000, interval: 100 });
    await vi.waitFor(hubHoldsEverything, { timeout: 60_000, interval: 200 });
  });

  it('keeps what is recorded while the hub is unreachable and sends it once the hub is back', async () => {
    t.proxy.setFaults({ drop: 1 });
    await vi.waitFor(() => expect(['offline', 'hub-down']).toContain(t.host.sync!.state), { timeout: 60_000, interval: 100 });
    // What the workstation records while the hub is away (reads, sign-ins) waits in the trail.
    const patientId = t.ward.patients[0]!.patient.id!;
    for (let read = 0; read < 3; read += 1) {
      t.host.audit.record({ action: 'chart-read', user: 'u-offline', patient: patientId, resources: [`Patient/${patientId}`] });
    }
    const waiting = t.host.audit.queue.pendingCount();
    expect(waiting).toBeGreaterThan(0);
    const deviceId = t.host.audit.queue.hubDeviceId()!;
    expect((await auditHeldByHub(t.hub, deviceId)).events).toBe(t.host.audit.head().sequence - waiting);

    t.proxy.setFaults(null);
    await vi.waitFor(hubHoldsEverything, { timeout: 60_000, interval: 200 });
  });
});
