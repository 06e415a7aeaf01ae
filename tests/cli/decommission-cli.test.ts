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
import { TEST_WARD } from '../../electron/session/test-helpers.js';
import type { Bundle } from '../../shared/fhir/index.js';
import { auditHeldByHub, workstationAuditHead } from '../support/audit-at-hub.js';
import { startEnrolledTestHost, type EnrolledTestHost } from '../support/enrolled-host.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wardline.js');
const KILLED_CLI = join(import.meta.dirname, 'children', 'killed-cli.ts');

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
    expect(wipe.stdout).toContain("Sent 2 audit entries to the hub, this wipe's included");
    expect(existsSync(join(dir, 'vault.db'))).toBe(false);
    expect((await wardline(['audit', 'verify', '--data', dir])).code).toBe(0);
    // The wipe's own entries (its start and its end) reached the hub, once, on the chain, as this
    // device; then the device key went.
    const wiped = await workstationAuditHead(dir, t.station.custodian);
    expect(wiped).toMatchObject({ pending: 0, deviceId: synced.deviceId });
    expect(wiped.head.sequence).toBe(synced.head.sequence + 3);
    const final = await auditHeldByHub(t.hub, synced.deviceId!);
    expect(final).toMatchObject({ events: wiped.head.sequence, sequences: wiped.head.sequence });
    expect(final.chain).toEqual({ highestContiguousSequence: wiped.head.sequence, gaps: [], hashMismatches: [], reusedSequences: [] });
    expect(await wipesAtHub(t)).toBe(2);
    expect(await t.station.custodian.load(keyNameFor(dir, 'device'))).toBeNull();
    expect(await t.station.custodian.load(keyNameFor(dir, 'vault'))).toBeNull();
    // Nothing is left to send: a second wipe has nothing to do and says so.
    const again = await wardline(['wipe', '--data', dir]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/No vault in/);
    expect(await wipesAtHub(t)).toBe(2);
  });
});

/** The AuditEvents of wipes the hub holds, as the privacy officer finds them through its FHIR API. */
async function wipesAtHub(host: EnrolledTestHost): Promise<number> {
  const adam = host.staff.find((a) => a.username === 'adam')!;
  const officer = await (await host.hub.enrollDevice(TEST_WARD)).signedIn(adam.username, adam.password);
  const response = await officer.fetch('/fhir/AuditEvent?wardline-action=wipe&_count=100');
  expect(response.status).toBe(200);
  return ((await response.json()) as Bundle).entry?.length ?? 0;
}

describe('a wipe while the hub cannot be reached', () => {
  let h: EnrolledTestHost;
  beforeAll(async () => {
    h = await startEnrolledTestHost({ seed: 'decommission-cli-hub-down', patients: 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('still wipes the vault and the device key, and says the trail stays here to be exported (exit 3)', { timeout: 900_000 }, async () => {
    const folder = h.station.dataDir;
    await h.host.close();
    const sync = await wardline(['sync', '--json', '--data', folder]);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({ outboxPending: 0, auditPending: 0 });
    const synced = await workstationAuditHead(folder, h.station.custodian);

    h.proxy.setFaults({ drop: 1 });
    const wipe = await wardline(['wipe', '--data', folder]);
    expect(wipe.code).toBe(3);
    expect(wipe.stderr.trim().split('\n')).toHaveLength(1);
    expect(wipe.stderr).toMatch(/The hub could not be reached .*: 2 audit entries, this wipe's included, were not sent/);
    expect(wipe.stderr).toContain('wardline audit export --format fhir');
    expect(existsSync(join(folder, 'vault.db'))).toBe(false);
    expect(await h.station.custodian.load(keyNameFor(folder, 'vault'))).toBeNull();
    expect(await h.station.custodian.load(keyNameFor(folder, 'device'))).toBeNull();

    // The entries (start, end) are kept, on an intact chain, for the export the operator is told to make.
    const kept = await workstationAuditHead(folder, h.station.custodian);
    expect(kept).toMatchObject({ pending: 2 });
    expect(kept.head.sequence).toBe(synced.head.sequence + 2);
    expect((await wardline(['audit', 'verify', '--data', folder])).code).toBe(0);
    const exported = await wardline(['audit', 'export', '--format', 'csv', '--data', folder]);
    expect(exported.stdout.split('\n').filter((line) => line.includes(',wipe,'))).toHaveLength(2);
    h.proxy.setFaults(null);
    expect(await wipesAtHub(h)).toBe(0);
  });
});

describe('a wipe killed after the vault was destroyed', () => {
  let h: EnrolledTestHost;
  beforeAll(async () => {
    h = await startEnrolledTestHost({ seed: 'decommission-cli-killed', patients: 1 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('left the vault unreadable, and a second wipe destroys the device key left behind', { timeout: 900_000 }, async () => {
    const folder = h.station.dataDir;
    await h.host.close();
    const sync = await wardline(['sync', '--json', '--data', folder]);
    expect(sync.code).toBe(0);
    // A wipe killed just before it destroys the device key (a real process, killed at that keystore
    // call): the vault key and files gone (destroyed first, so nothing of the vault is readable), the
    // wipe's entries recorded and sent, the device key still there.
    const killed = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', KILLED_CLI, 'destroy:device:before', 'wipe', '--data', folder], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (_code, signal) => resolve(signal));
    });
    expect(killed).toBe('SIGKILL');
    expect(await h.station.custodian.load(keyNameFor(folder, 'vault'))).toBeNull();
    expect(await h.station.custodian.load(keyNameFor(folder, 'device'))).not.toBeNull();
    expect(await workstationAuditHead(folder, h.station.custodian)).toMatchObject({ pending: 0 });
    expect(await wipesAtHub(h)).toBe(2);

    const again = await wardline(['wipe', '--data', folder]);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(await h.station.custodian.load(keyNameFor(folder, 'device'))).toBeNull();
    expect(await h.station.custodian.load(keyNameFor(folder, 'vault'))).toBeNull();
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
    // The export holds the wipe's own entries too, the last ones: its start and its end.
    for (const [line, sequence, stage] of [
      [exported[exported.length - 2]!, 5, 'started'],
      [exported[exported.length - 1]!, 6, 'ended'],
    ] as const) {
      expect(line).toMatch(new RegExp(`^${sequence},.*,wipe,`));
      expect(line).toContain('""forced"":true');
      expect(line).toContain(`""stage"":""${stage}""`);
    }

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
