// Decommissioning a workstation with the `wardline` CLI as IT runs it (real processes, the real OS
// keystore, a real hub over TLS): a wipe refuses while Wardline runs on the folder and while
// documentation, conflicts or audit entries would be lost, naming how many; `wardline sync` delivers
// the documentation and uploads the audit trail, which the hub then holds exactly once with its
// chain intact; `wardline audit upload` sends what was recorded since; then the wipe goes ahead.
// A forced wipe needs an export of the audit trail, which records that it was forced.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/audit/index.js';
import { createKeytarCustodian, keyNameFor } from '../../electron/vault/index.js';
import { auditHeldByHub, workstationAuditHead } from '../support/audit-at-hub.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wardline.js');

// Asynchronous: the hub runs in this process and must answer while the CLI talks to it.
function wardline(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let t: EnrolledTestHost;
let dir: string;

beforeAll(async () => {
  t = await startEnrolledTestHost({ seed: 'decommission-cli' });
  dir = t.station.dataDir;
});

afterAll(async () => {
  await t?.close();
});

describe('decommissioning with the wardline CLI', () => {
  it('refuses to wipe while Wardline runs on the data folder, changing nothing', { timeout: 300_000 }, async () => {
    const wipe = await wardline(['wipe', '--data', dir]);
    expect(wipe.code).toBe(1);
    expect(wipe.stderr.trim().split('\n')).toHaveLength(1);
    expect(wipe.stderr).toMatch(/Wardline is running on .* \(process \d+/);
    expect(existsSync(join(dir, 'vault.db'))).toBe(true);
  });

  it('refuses to wipe what is undelivered, syncs and uploads the audit trail exactly once, then wipes', { timeout: 900_000 }, async () => {
    await t.signIn('nina');
    await t.call('sync:now', {});
    const patientId = t.ward.patients[0]!.patient.id!;
    await t.call('chart:record-vitals', { patientId, vitals: { heartRate: 88 } });
    await t.host.close();
    expect(existsSync(join(dir, 'host.lock'))).toBe(false);

    const before = JSON.parse((await wardline(['status', '--json', '--data', dir])).stdout) as {
      sync: { outboxPending: number; conflicts: number };
      audit: { pending: number; lastAcknowledgedUpload: string | null };
    };
    expect(before.sync).toMatchObject({ outboxPending: 1, conflicts: 0 });
    expect(before.audit.pending).toBeGreaterThan(0);

    const refused = await wardline(['wipe', '--data', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('1 documentation entry not delivered to the hub');
    expect(refused.stderr).toContain('0 unresolved conflicts');
    expect(refused.stderr).toContain(`${before.audit.pending} audit entries not sent to the hub`);

    const forcedBlind = await wardline(['wipe', '--force', '--data', dir]);
    expect(forcedBlind.code).toBe(2);
    expect(forcedBlind.stderr).toMatch(/--export FILE/);
    expect(existsSync(join(dir, 'vault.db'))).toBe(true);

    const sync = await wardline(['sync', '--json', '--data', dir]);
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ delivered: 1, outboxPending: 0, auditPending: 0 });
    const synced = await workstationAuditHead(dir, t.station.custodian);
    expect(synced.pending).toBe(0);
    expect(synced.deviceId).not.toBeNull();
    const held = await auditHeldByHub(t.hub, synced.deviceId!);
    expect(held).toMatchObject({ events: synced.head.sequence, sequences: synced.head.sequence });
    expect(held.chain).toEqual({
      highestContiguousSequence: synced.head.sequence,
      gaps: [],
      hashMismatches: [],
      reusedSequences: [],
    });

    const after = JSON.parse((await wardline(['status', '--json', '--data', dir])).stdout) as {
      audit: { pending: number; lastAcknowledgedUpload: string };
    };
    expect(after.audit.pending).toBe(0);
    expect(Date.parse(after.audit.lastAcknowledgedUpload)).not.toBeNaN();

    // Recorded since the sync: the export itself. `wardline audit upload` sends it, and only it.
    expect((await wardline(['audit', 'export', '--format', 'csv', '--data', dir])).code).toBe(0);
    const upload = await wardline(['audit', 'upload', '--json', '--data', dir]);
    expect(upload.stderr).toBe('');
    expect(upload.code).toBe(0);
    expect(JSON.parse(upload.stdout)).toMatchObject({ sent: 1, pending: 0, hubAcknowledged: synced.head.sequence + 1 });
    const uploaded = await auditHeldByHub(t.hub, synced.deviceId!);
    expect(uploaded).toMatchObject({ events: synced.head.sequence + 1, sequences: synced.head.sequence + 1 });
    expect(uploaded.chain.highestContiguousSequence).toBe(synced.head.sequence + 1);
    expect(uploaded.chain.hashMismatches).toEqual([]);

    const wipe = await wardline(['wipe', '--data', dir]);
    expect(wipe.stderr).toBe('');
    expect(wipe.code).toBe(0);
    expect(existsSync(join(dir, 'vault.db'))).toBe(false);
    expect((await wardline(['audit', 'verify', '--data', dir])).code).toBe(0);
  });
});

describe('a forced wipe', () => {
  const custodian = createKeytarCustodian();
  let folder: string;

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'wardline-forced-wipe-'));
  });
  afterAll(async () => {
    await wardline(['wipe', '--force', '--export', join(folder, 'cleanup.json'), '--data', folder]);
    await custodian.destroy(keyNameFor(folder, 'audit')).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  });

  it('goes ahead only with an export of the audit trail, which records that the wipe was forced', { timeout: 300_000 }, async () => {
    expect((await wardline(['init', '--data', folder])).code).toBe(0);
    const log = await openAuditLog({ dataDir: folder, custodian });
    log.recordAll(
      [1, 2, 3].map((i) => ({ action: 'chart-read' as const, user: 'u-nurse-1', patient: `p-${i}`, resources: [`Patient/p-${i}`] })),
    );
    log.close();

    const refused = await wardline(['wipe', '--data', folder]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('3 audit entries not sent to the hub');
    expect((await wardline(['wipe', '--export', join(folder, 'x.csv'), '--data', folder])).code).toBe(2);

    const file = join(folder, 'before-wipe.csv');
    const forced = await wardline(['wipe', '--force', '--export', file, '--data', folder]);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(existsSync(join(folder, 'vault.db'))).toBe(false);
    const exported = readFileSync(file, 'utf8').trim().split('\n');
    expect(exported[0]).toMatch(/^sequence,time,/);
    expect(exported.filter((line) => line.includes(',chart-read,'))).toHaveLength(3);
    const marker = exported.find((line) => line.includes(',audit-export,'));
    expect(marker).toContain('forced-wipe');
    expect(marker).toContain('""auditUnsent"":3');

    const trail = (await wardline(['audit', 'export', '--format', 'csv', '--data', folder])).stdout.split('\n');
    expect(trail.find((line) => line.includes(',wipe,'))).toContain('""forced"":true');

    // An existing file is never overwritten.
    expect((await wardline(['init', '--data', folder])).code).toBe(0);
    const again = await wardline(['wipe', '--force', '--export', file, '--data', folder]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
    expect(existsSync(join(folder, 'vault.db'))).toBe(true);
  });
});
