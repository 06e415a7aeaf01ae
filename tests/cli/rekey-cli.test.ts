// `wardline rekey` and the data folder's hold, as IT meets them (the CLI's own entry point, the real
// OS keystore, real SQLCipher files): a rekey changes the keys of the chart cache and the audit
// trail, keeps every chart and entry, and is recorded in the chain (its start before any key is
// touched, so a kill midway leaves it there); a failing keystore half-way leaves both files
// readable; and no command that writes the folder runs while Wardline holds it,
// nor Wardline while such a command does.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAuditLog } from '../../electron/audit/index.js';
import { runCli, type CliIo } from '../../electron/cli/index.js';
import { holdDataDir, openWorkstationHost, rekeyWorkstation, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents } from '../../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, createVault, keyNameFor, openVault, wipeVault, type KeyCustodian } from '../../electron/vault/index.js';
import { failingCustodian, temporaryDataDir } from '../../electron/vault/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import { MemoryTransport } from '../support/host-harness.js';

const KILLED_CLI = join(import.meta.dirname, 'children', 'killed-cli.ts');
const custodian = createKeytarCustodian();
let dataDir: { dir: string; remove: () => void };
let ward: SyntheticWard;
let host: WorkstationHost | null = null;

async function cli(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await runCli(args, io);
  return { code, out, err };
}

/** The keys stored for this folder now (copies), to compare before and after. */
async function storedKeys(): Promise<{ vault: string; audit: string }> {
  const vault = await custodian.load(keyNameFor(dataDir.dir, 'vault'));
  const audit = await custodian.load(keyNameFor(dataDir.dir, 'audit'));
  return { vault: vault!.toString('hex'), audit: audit!.toString('hex') };
}

/** A custodian that hands out only `keys` (the keys before a rekey), as a stolen copy would. */
function oldKeysOnly(keys: { vault: string; audit: string }): KeyCustodian {
  return {
    store: () => Promise.reject(new Error('read only')),
    destroy: () => Promise.resolve(),
    load: (name) =>
      Promise.resolve(
        name === keyNameFor(dataDir.dir, 'vault')
          ? Buffer.from(keys.vault, 'hex')
          : name === keyNameFor(dataDir.dir, 'audit')
            ? Buffer.from(keys.audit, 'hex')
            : null,
      ),
  };
}

async function startHost(): Promise<WorkstationHost> {
  const org = testOrganisation();
  const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD }), [org.trusted]);
  host = await openWorkstationHost({
    dataDir: dataDir.dir,
    policy,
    custodian,
    powerEvents: new ControllablePowerEvents(),
    transport: new MemoryTransport(),
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: silentLogger(),
    hubLogin: new ScriptedHubLogin(wardStaff()),
    hashing: CHEAP_HASHING,
  });
  return host;
}

beforeEach(async () => {
  dataDir = temporaryDataDir('rekey-cli');
  ward = generateWard({ seed: 'rekey-cli', patients: 3, days: 2, ward: { id: TEST_WARD, name: 'Ward 7' } });
  const vault = await createVault({ dataDir: dataDir.dir, custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
  vault.close();
  const audit = await openAuditLog({ dataDir: dataDir.dir, custodian });
  audit.recordAll(
    ward.patients.map((p) => ({ action: 'query' as const, user: 'nina', patient: p.patient.id!, query: 'Encounter?location=x' })),
  );
  audit.close();
});

afterEach(async () => {
  await host?.close();
  host = null;
  await wipeVault({ dataDir: dataDir.dir, custodian });
  await custodian.destroy(keyNameFor(dataDir.dir, 'audit')).catch(() => undefined);
  await custodian.destroy(`${keyNameFor(dataDir.dir, 'audit')}.next`).catch(() => undefined);
  dataDir.remove();
});

describe('wardline rekey', () => {
  it('changes both keys: the files open only with the new ones, every chart and audit entry stays, and the chain records it', async () => {
    const before = await storedKeys();
    const resources = ward.resources.length;
    const result = await cli('rekey', '--data', dataDir.dir, '--json');
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out[0]!)).toMatchObject({ vault: true, audit: true, keyChangedAt: expect.any(String) });

    const after = await storedKeys();
    expect(after.vault).not.toBe(before.vault);
    expect(after.audit).not.toBe(before.audit);
    await expect(openVault({ dataDir: dataDir.dir, custodian: oldKeysOnly(before) })).rejects.toMatchObject({
      code: 'WRONG_KEY_OR_CORRUPT',
    });
    await expect(openAuditLog({ dataDir: dataDir.dir, custodian: oldKeysOnly(before), create: false })).rejects.toMatchObject({
      code: 'CORRUPT',
    });

    const vault = await openVault({ dataDir: dataDir.dir, custodian });
    expect(vault.resources.count()).toBe(resources);
    vault.close();
    const audit = await openAuditLog({ dataDir: dataDir.dir, custodian, create: false });
    try {
      // Its start (recorded before any key was touched), then its end.
      expect(audit.verify()).toMatchObject({ ok: true, entries: ward.patients.length + 2 });
      const head = audit.head().sequence;
      expect(audit.get(head - 1)).toMatchObject({
        action: 'rekey',
        outcome: 'success',
        requestor: true,
        detail: { by: 'cli', stage: 'started' },
      });
      const last = audit.get(head)!;
      expect(last).toMatchObject({
        action: 'rekey',
        outcome: 'success',
        requestor: true,
        detail: { by: 'cli', stage: 'ended', vault: true, audit: true },
      });
    } finally {
      audit.close();
    }
    expect((await cli('audit', 'verify', '--data', dataDir.dir)).code).toBe(0);
  });

  it('leaves both files readable with all their data when the keystore fails half-way, and records the failure', async () => {
    const auditKey = keyNameFor(dataDir.dir, 'audit');
    // The audit trail is re-encrypted, then the keystore refuses to record its new key for good.
    const broken = failingCustodian(custodian, (operation, name) => operation === 'store' && name === auditKey);
    const vault = await openVault({ dataDir: dataDir.dir, custodian: broken });
    const audit = await openAuditLog({ dataDir: dataDir.dir, custodian: broken });
    await expect(rekeyWorkstation({ vault, audit, by: 'cli', logger: silentLogger() })).rejects.toMatchObject({ code: 'REKEY_FAILED' });
    vault.close();
    audit.close();

    const reopenedVault = await openVault({ dataDir: dataDir.dir, custodian });
    expect(reopenedVault.resources.count()).toBe(ward.resources.length);
    reopenedVault.close();
    const reopened = await openAuditLog({ dataDir: dataDir.dir, custodian, create: false });
    try {
      expect(reopened.verify()).toMatchObject({ ok: true, entries: ward.patients.length + 2 });
      expect(reopened.get(reopened.head().sequence)).toMatchObject({
        action: 'rekey',
        outcome: 'serious-failure',
        detail: { stage: 'ended', vault: true, audit: false, failedAt: 'audit' },
      });
    } finally {
      reopened.close();
    }
  });
});

describe('wardline rekey killed midway', () => {
  it('leaves its start in the audit trail when killed after the chart cache got its new key, before the audit trail did', async () => {
    const before = await storedKeys();
    // A real process on the real keystore, killed just before the audit trail's new key is stored.
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', KILLED_CLI, 'store:audit.next:before', 'rekey', '--data', dataDir.dir], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      child.once('error', reject);
      child.once('exit', (_code, killedBy) => resolve(killedBy));
    });
    expect(signal).toBe('SIGKILL');
    const after = await storedKeys();
    expect(after.vault).not.toBe(before.vault);
    expect(after.audit).toBe(before.audit);
    const audit = await openAuditLog({ dataDir: dataDir.dir, custodian, create: false });
    try {
      // Before session 12 the trail said nothing of it: the entry came only after both keys changed.
      expect(audit.verify()).toMatchObject({ ok: true, entries: ward.patients.length + 1 });
      expect(audit.get(audit.head().sequence)).toMatchObject({ action: 'rekey', requestor: true, detail: { by: 'cli', stage: 'started' } });
    } finally {
      audit.close();
    }
    // The next rekey finishes the job, and the trail shows the interrupted start, then a whole one.
    const again = await cli('rekey', '--data', dataDir.dir);
    expect(again.code).toBe(0);
    expect((await cli('audit', 'verify', '--data', dataDir.dir)).code).toBe(0);
  });
});

describe('the data folder held by one process at a time', () => {
  it('refuses every command that writes the folder while Wardline runs there, changing nothing', async () => {
    await startHost();
    const before = await storedKeys();
    for (const args of [
      ['rekey'],
      ['wipe'],
      ['sync'],
      ['audit', 'upload'],
      ['enroll', '--hub', 'https://hub.example', '--token', 't', '--pin', 'p'],
      ['init'],
    ]) {
      const result = await cli(...args, '--data', dataDir.dir);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.err).toEqual([
        expect.stringMatching(
          /^wardline .*: Wardline is running on .* \(process \d+, since .*\)\. Close it first; nothing was changed\. \[DATA_DIR_IN_USE\]$/,
        ),
      ]);
    }
    expect(await storedKeys()).toEqual(before);
    expect(host!.vault.resources.count()).toBe(ward.resources.length);
    // Reading commands still answer while it runs.
    expect((await cli('audit', 'verify', '--data', dataDir.dir)).code).toBe(0);
  });

  it('keeps Wardline from starting while a command works on the folder, and lets it start once that is done', async () => {
    const hold = holdDataDir(dataDir.dir, { by: 'wardline rekey' });
    try {
      await expect(startHost()).rejects.toMatchObject({
        code: 'DATA_DIR_IN_USE',
        message: expect.stringMatching(/^wardline rekey is running on .*\. Wait for it to finish; nothing was changed\.$/),
      });
    } finally {
      hold.release();
    }
    await startHost();
    expect(host!.vault.isOpen).toBe(true);
  });
});
