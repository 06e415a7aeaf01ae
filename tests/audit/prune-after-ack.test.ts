// Issue 15: audit entries are pruned from the workstation only after the hub has acknowledged them,
// and only after the policy's retention period. A running host (real hub over TLS behind the ward's
// network link, its own sync scheduler and audit uploads) with a retention of a few seconds: what
// the hub acknowledged leaves the admin's audit view once it is older than that; what was recorded
// while the hub was unreachable stays, however old, until the hub has it; afterwards the hub holds
// every entry exactly once (the last few sent by `wardline audit upload`) and `wardline audit verify`
// passes on what is left.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditEntryViewData } from '../../shared/contract/index.js';
import { addUser } from '../../server/identity/index.js';
import { openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING, TEST_WARD } from '../../electron/session/test-helpers.js';
import { keyNameFor } from '../../electron/vault/index.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { auditHeldByHub, workstationAuditHead } from '../support/audit-at-hub.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';
import { MemoryTransport } from '../support/host-harness.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { wardline } from '../support/wardline-cli.js';
import { enrollTestWorkstation, FAST_POLICY, seedGeneratedWard, type TestWorkstation } from '../sync/sync-test-kit.js';

/** The policy's audit retention, shortened for the test (a policy file counts in days). */
const RETENTION_MS = 3_000;
const ADAM_PASSWORD = 'adam correct horse battery';

let hub: TestHub;
let proxy: FaultProxy;
let station: TestWorkstation;
let host: WorkstationHost | null = null;
let transport: MemoryTransport;

interface AuditPage {
  entries: AuditEntryViewData[];
  nextBeforeSequence: number | null;
  upload: { pending: number; lastAcknowledgedUpload: string | null };
}

async function call<T>(channel: string, request: unknown): Promise<T> {
  const result = await transport.send(channel, request);
  if (!result.ok) throw Object.assign(new Error(`${channel} refused: ${result.error.code}`), { code: result.error.code });
  return result.value as T;
}

/** The admin's audit view: every sequence still on the workstation (oldest first), and the upload line. */
async function view(): Promise<{ sequences: number[]; pending: number }> {
  const sequences: number[] = [];
  let before: number | undefined;
  let page: AuditPage;
  let upload: AuditPage['upload'] | null = null;
  do {
    page = await call<AuditPage>('audit:view', { limit: 1000, ...(before === undefined ? {} : { beforeSequence: before }) });
    // The first page (the newest entries) carries the upload line as of this look.
    upload ??= page.upload;
    sequences.push(...page.entries.map((entry) => entry.sequence));
    before = page.nextBeforeSequence ?? undefined;
  } while (before !== undefined);
  return { sequences: sequences.sort((a, b) => a - b), pending: upload.pending };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, TEST_WARD, { seed: 'prune-after-ack', patients: 2, days: 1 });
  await addUser(hub.db, { username: 'adam', password: ADAM_PASSWORD, role: 'admin', wards: [TEST_WARD], mfa: false });
  proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
  station = await enrollTestWorkstation(hub, TEST_WARD, { hubUrl: proxy.url, pin: proxy.pin });
  const org = testOrganisation();
  const signed = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD, hub: { url: proxy.url, pins: [proxy.pin] } }), [
    org.trusted,
  ]);
  transport = new MemoryTransport();
  const clock = new FakeClock();
  host = await openWorkstationHost({
    dataDir: station.dataDir,
    policy: { ...signed, auditRetentionMs: RETENTION_MS },
    custodian: station.custodian,
    powerEvents: new ControllablePowerEvents(),
    transport,
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: silentLogger(),
    clock,
    scheduler: clock,
    hashing: CHEAP_HASHING,
    startSync: true,
    syncPolicy: { ...FAST_POLICY, intervalMs: 300, offlineBackoffMaxMs: 600, retries: 1 },
  });
}, 120_000);

afterAll(async () => {
  proxy?.setFaults(null);
  await host?.close();
  if (station) {
    await station.custodian.destroy(keyNameFor(station.dataDir, 'audit')).catch(() => undefined);
    await station.remove();
  }
  await proxy?.stop();
  await hub?.stop();
});

describe('pruning the workstation audit trail', () => {
  it('prunes only what the hub acknowledged and only past the retention, and the rest still verifies', { timeout: 180_000 }, async () => {
    await call('session:sign-in', { username: 'adam', password: ADAM_PASSWORD });
    // (Each look at the view is itself an entry, so the wait asks the trail, not the view.)
    await vi.waitFor(() => expect(host!.audit.queue.pendingCount()).toBe(0), { timeout: 60_000, interval: 200 });
    const early = (await view()).sequences;
    expect(early[0]).toBe(1);

    // Acknowledged and older than the retention: gone from the workstation at a later upload.
    await sleep(RETENTION_MS + 500);
    await vi.waitFor(async () => expect((await view()).sequences[0]).toBeGreaterThan(early.at(-1)!), { timeout: 60_000, interval: 300 });

    // The hub cannot be reached: what is recorded now waits, and stays however old it gets.
    proxy.setFaults({ drop: 1 });
    await vi.waitFor(() => expect(['offline', 'hub-down']).toContain(host!.sync!.state), { timeout: 60_000, interval: 100 });
    const offline = await view();
    expect(offline.pending).toBeGreaterThan(0);
    const firstWaiting = offline.sequences.at(-1)! - offline.pending + 1;
    await sleep(RETENTION_MS + 2_000);
    const later = await view();
    expect(later.pending).toBeGreaterThanOrEqual(offline.pending);
    for (let sequence = firstWaiting; sequence <= offline.sequences.at(-1)!; sequence++) expect(later.sequences).toContain(sequence);

    // The hub is back: it acknowledges them, and once past the retention they go too.
    proxy.setFaults(null);
    await vi.waitFor(() => expect(host!.audit.queue.pendingCount()).toBe(0), { timeout: 60_000, interval: 200 });
    await sleep(RETENTION_MS + 500);
    await vi.waitFor(async () => expect((await view()).sequences[0]).toBeGreaterThan(offline.sequences.at(-1)!), {
      timeout: 60_000,
      interval: 300,
    });

    // The hub holds every entry exactly once, and what is left on the workstation verifies.
    await call('session:sign-out', {}).catch(() => undefined);
    await host!.close();
    host = null;
    // What was recorded after the last upload (this sign-out, the last looks at the view) goes with IT's upload.
    const uploaded = await wardline(['audit', 'upload', '--json', '--data', station.dataDir]);
    expect(uploaded.stderr).toBe('');
    expect(uploaded.code).toBe(0);
    expect(JSON.parse(uploaded.stdout)).toMatchObject({ pending: 0, refused: 0 });
    const { head, deviceId } = await workstationAuditHead(station.dataDir, station.custodian);
    const held = await auditHeldByHub(hub, deviceId!);
    expect(held).toMatchObject({ events: head.sequence, sequences: head.sequence });
    expect(held.chain).toMatchObject({ highestContiguousSequence: head.sequence, gaps: [], hashMismatches: [] });
    const verified = await wardline(['audit', 'verify', '--json', '--data', station.dataDir]);
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
  });
});
