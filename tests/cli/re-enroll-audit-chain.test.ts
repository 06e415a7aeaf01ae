// A workstation wiped and enrolled again (as IT does after KEY_MISSING or a damaged cache: "wipe it
// and let it sync again") keeps its audit trail but gets a new device id at the hub. Its chain goes
// on under the new id: the hub acknowledges it to the head with no gap, so the workstation can prune
// again after the retention, and the wipe, sent by the wipe itself as the earlier device before its
// key was destroyed, reaches the privacy officer once. Real processes (the `wardline` CLI), the real OS keystore, a real hub
// over HTTPS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Bundle } from '../../shared/fhir/index.js';
import { addUser, createEnrollmentToken } from '../../server/identity/index.js';
import { createKeytarCustodian, keyNameFor, wipeVault } from '../../electron/vault/index.js';
import { auditHeldByHub, workstationAuditHead } from '../support/audit-at-hub.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { wardline } from '../support/wardline-cli.js';
import { seedGeneratedWard } from '../sync/sync-test-kit.js';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.js';

const PASSWORD = 'correct horse battery staple';
const custodian = createKeytarCustodian();
let hub: TestHub;
let dataDir: string;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 're-enroll-audit-chain', patients: 2, days: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'wardline-re-enroll-'));
});

afterAll(async () => {
  await wipeVault({ dataDir, custodian }).catch(() => undefined);
  await custodian.destroy(keyNameFor(dataDir, 'device')).catch(() => undefined);
  await custodian.destroy(keyNameFor(dataDir, 'audit')).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  await hub?.stop();
});

async function enroll(via: { url: string; pin: string } = hub, dir: string = dataDir): Promise<void> {
  const token = await createEnrollmentToken(hub.db, { ward: 'a' });
  const run = await wardline(['enroll', '--hub', via.url, '--token', token, '--pin', via.pin, '--data', dir]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
}

async function uploadJson(dir: string = dataDir): Promise<{ sent: number; pending: number; hubAcknowledged: number | null }> {
  const run = await wardline(['audit', 'upload', '--json', '--data', dir]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as { sent: number; pending: number; hubAcknowledged: number | null };
}

describe('a workstation wiped and enrolled again', () => {
  it(
    'goes on with its audit chain under its new device id: acknowledged to the head, no gap, the wipe at the hub',
    { timeout: 300_000 },
    async () => {
      await enroll();
      expect(await uploadJson()).toMatchObject({ sent: 1, pending: 0, hubAcknowledged: 1 });
      const earlier = (await workstationAuditHead(dataDir, custodian)).deviceId!;

      const wiped = await wardline(['wipe', '--data', dataDir]);
      expect(wiped.stderr).toBe('');
      expect(wiped.code).toBe(0);
      await enroll();
      const upload = await uploadJson();
      const { head, deviceId } = await workstationAuditHead(dataDir, custodian);
      expect(deviceId).not.toBe(earlier);
      // The wipe (its start and end) went as the earlier device; the new enrollment goes under the new device id, and
      // the hub acknowledges the whole chain: the entries below it are the ones the earlier device delivered.
      expect(head.sequence).toBe(4);
      expect(upload).toMatchObject({ sent: 1, pending: 0, hubAcknowledged: 4 });
      expect((await auditHeldByHub(hub, deviceId!)).chain).toEqual({
        continues: { deviceId: earlier, afterSequence: 3 },
        highestContiguousSequence: 4,
        gaps: [],
        hashMismatches: [],
        reusedSequences: [],
      });
      expect((await auditHeldByHub(hub, earlier)).chain.highestContiguousSequence).toBe(3);
      const verified = await wardline(['audit', 'verify', '--data', dataDir]);
      expect(verified.code).toBe(0);

      await addUser(
        hub.db,
        { username: 'privacy.a', password: PASSWORD, role: 'admin', wards: ['a'], mfa: false },
        new Date(Date.now() - 86_400_000),
      );
      const officer = await (await hub.enrollDevice('a')).signedIn('privacy.a', PASSWORD);
      const response = await officer.fetch('/fhir/AuditEvent?wardline-action=wipe&_count=100');
      expect(response.status).toBe(200);
      const wipes = ((await response.json()) as Bundle).entry?.map((e) => e.resource as AuditEvent) ?? [];
      // The wipe's start and its end.
      expect(wipes).toHaveLength(2);
    },
  );

  it(
    "is acknowledged the entries the earlier device delivered when the wipe's answer was lost: nothing stays pending",
    { timeout: 300_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'wardline-re-enroll-lost-'));
      const proxy: FaultProxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
      try {
        await enroll(proxy, dir);
        expect(await uploadJson(dir)).toMatchObject({ sent: 1, pending: 0, hubAcknowledged: 1 });
        const earlier = (await workstationAuditHead(dir, custodian)).deviceId!;
        // The hub commits the wipe's upload; its answer never reaches the workstation.
        proxy.setAnswerRewrite((path) => (path.startsWith('/fhir') ? Buffer.from('') : null));
        const wiped = await wardline(['wipe', '--data', dir]);
        expect(wiped.code).not.toBe(0);
        proxy.setAnswerRewrite(null);
        expect((await auditHeldByHub(hub, earlier)).chain.highestContiguousSequence).toBe(3);
        expect((await workstationAuditHead(dir, custodian)).pending).toBe(2);

        await enroll(proxy, dir);
        const upload = await uploadJson(dir);
        const { head, deviceId, pending } = await workstationAuditHead(dir, custodian);
        expect(head.sequence).toBe(4);
        expect(pending).toBe(0);
        expect(upload).toMatchObject({ pending: 0, hubAcknowledged: 4 });
        expect((await auditHeldByHub(hub, deviceId!)).chain).toEqual({
          continues: { deviceId: earlier, afterSequence: 3 },
          highestContiguousSequence: 4,
          gaps: [],
          hashMismatches: [],
          reusedSequences: [],
        });
        const again = await uploadJson(dir);
        expect(again).toMatchObject({ sent: 0, pending: 0, hubAcknowledged: 4 });
      } finally {
        await proxy.stop();
        await wipeVault({ dataDir: dir, custodian }).catch(() => undefined);
        await custodian.destroy(keyNameFor(dir, 'device')).catch(() => undefined);
        await custodian.destroy(keyNameFor(dir, 'audit')).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
