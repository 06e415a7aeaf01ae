// `wardline enroll`, `wardline sync` and the sync part of `wardline status --json`, as IT runs
// them: real processes, the real OS keystore, a real hub over HTTPS.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEnrollmentToken } from '../../server/identity/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { createKeytarCustodian, keyNameFor, vaultFilePath, wipeVault } from '../../electron/vault/index.js';
import { seedGeneratedWard } from './sync-test-kit.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'wardline.js');
let hub: TestHub;
let dataDir: string;

/** Runs the CLI without blocking this process (the hub answers from it). */
function wardline(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'sync-cli', patients: 3, days: 1 });
  dataDir = mkdtempSync(join(tmpdir(), 'wardline-sync-cli-'));
});

afterAll(async () => {
  const custodian = createKeytarCustodian();
  await wipeVault({ dataDir, custodian }).catch(() => undefined);
  await custodian.destroy(keyNameFor(dataDir, 'device')).catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  await hub?.stop();
});

describe('wardline enroll / sync / status', () => {
  it('enrolls a new workstation, creating its vault for the ward, with the device key only in the OS keystore', async () => {
    const token = await createEnrollmentToken(hub.db, { ward: 'a' });
    const run = await wardline(['enroll', '--hub', hub.url, '--token', token, '--pin', hub.pin, '--data', dataDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Enrolled at https:\/\/127\.0\.0\.1:\d+ for ward "a"/);
    expect(await createKeytarCustodian().load(keyNameFor(dataDir, 'device'))).not.toBeNull();
    const status = await wardline(['status', '--json', '--data', dataDir]);
    const parsed = JSON.parse(status.stdout) as { vault: { ward: string }; sync: Record<string, unknown> };
    expect(parsed.vault.ward).toBe('ward-a');
    expect(parsed.sync).toEqual({
      state: 'offline',
      lastSuccess: null,
      dataAsOf: null,
      staleness: 'never-synced',
      patientsByStaleness: { fresh: 0, amber: 0, red: 0, 'never-synced': 0 },
      outboxPending: 0,
      conflicts: 0,
    });
  });

  it('refuses a second enrollment of the same workstation in one line', async () => {
    const token = await createEnrollmentToken(hub.db, { ward: 'a' });
    const run = await wardline(['enroll', '--hub', hub.url, '--token', token, '--pin', hub.pin, '--data', dataDir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/enrolled already.*ALREADY_ENROLLED/);
  });

  it('runs one sync cycle, prints a summary in counts, and status reports it', async () => {
    const run = await wardline(['sync', '--data', dataDir]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 patients on the ward, 3 loaded, \d+ resources written/);
    const status = await wardline(['status', '--json', '--data', dataDir]);
    const parsed = JSON.parse(status.stdout) as {
      vault: { patients: number };
      stalenessThresholds: { source: string };
      sync: Record<string, unknown>;
      audit: { pending: number; lastAcknowledgedUpload: string | null };
    };
    expect(Object.keys(parsed)).toEqual(['vault', 'stalenessThresholds', 'sync', 'audit']);
    // No app has run here with a policy: the thresholds are Wardline's own, and status says so.
    expect(parsed.stalenessThresholds.source).toBe('wardline-defaults');
    // `wardline sync` sent the audit trail too: nothing waits, and the hub's acknowledgement is dated.
    expect(parsed.audit.pending).toBe(0);
    expect(Date.parse(parsed.audit.lastAcknowledgedUpload ?? '')).not.toBeNaN();
    expect(parsed.vault.patients).toBe(3);
    expect(Object.keys(parsed.sync).sort()).toEqual([
      'conflicts',
      'dataAsOf',
      'lastSuccess',
      'outboxPending',
      'patientsByStaleness',
      'staleness',
      'state',
    ]);
    // Just synced: every patient's data is fresh.
    expect(parsed.sync).toMatchObject({ state: 'online', outboxPending: 0, conflicts: 0, staleness: 'fresh' });
    expect(parsed.sync.patientsByStaleness).toEqual({ fresh: 3, amber: 0, red: 0, 'never-synced': 0 });
    expect(Date.parse(parsed.sync.lastSuccess as string)).toBeGreaterThanOrEqual(Date.parse(parsed.sync.dataAsOf as string));
  });

  it('refuses bad enrollment input with a usage line, touching nothing', async () => {
    const other = mkdtempSync(join(tmpdir(), 'wardline-sync-cli-bad-'));
    try {
      const missing = await wardline(['enroll', '--hub', hub.url, '--data', other]);
      expect(missing.code).toBe(2);
      const badPin = await wardline(['enroll', '--hub', hub.url, '--token', 'x', '--pin', 'not-a-pin', '--data', other]);
      expect(badPin.code).toBe(1);
      expect(badPin.stderr).toMatch(/pin.*INVALID_ENROLLMENT/);
      const plainHttp = await wardline(['enroll', '--hub', 'http://127.0.0.1:1', '--token', 'x', '--pin', hub.pin, '--data', other]);
      expect(plainHttp.stderr).toMatch(/https/);
      expect(existsSync(vaultFilePath(other))).toBe(false);
      expect(await createKeytarCustodian().load(keyNameFor(other, 'device'))).toBeNull();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
