// An attacker who can write the machine policy file puts back an older, validly signed policy (a
// longer idle lock, another hub). The host refuses it with POLICY_ROLLBACK, changing nothing; the
// newest accepted policy is remembered in the encrypted vault. Real vault, real keystore.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditFilePath } from '../../electron/audit/index.js';
import { runCli, type CliIo } from '../../electron/cli/index.js';
import { openWorkstationHost, silentLogger, startFailureMessage } from '../../electron/host/index.js';
import { verifyPolicyText, type WorkstationPolicy } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, createVault, keyNameFor, openVault, wipeVault } from '../../electron/vault/index.js';
import { temporaryDataDir } from '../../electron/vault/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { MemoryTransport } from '../support/host-harness.js';

const custodian = createKeytarCustodian();
const org = testOrganisation();
let dataDir: { dir: string; remove: () => void };

const MARCH = '2025-03-01T09:00:00Z';
const FEBRUARY = '2025-02-01T09:00:00Z';
const APRIL = '2025-04-01T09:00:00Z';

function policyText(issued: string, idleTimeoutMinutes = 5, extra: Record<string, unknown> = {}): string {
  const draft = examplePolicyDraft();
  return org.sign({ ...draft, issued, ward: TEST_WARD, session: { ...(draft.session as object), idleTimeoutMinutes }, ...extra });
}
const policyIssued = (issued: string, idle?: number): WorkstationPolicy => verifyPolicyText(policyText(issued, idle), [org.trusted]);

async function startAndStop(policy: WorkstationPolicy): Promise<void> {
  const clock = new FakeClock();
  const host = await openWorkstationHost({
    dataDir: dataDir.dir,
    policy,
    custodian,
    powerEvents: new ControllablePowerEvents(),
    transport: new MemoryTransport(),
    isTrustedSender: appSenderCheck(() => new Set([1])),
    logger: silentLogger(),
    clock,
    scheduler: clock,
    hubLogin: new ScriptedHubLogin(wardStaff()),
    hashing: CHEAP_HASHING,
  });
  await host.close();
}

async function acceptedMark(): Promise<unknown> {
  const vault = await openVault({ dataDir: dataDir.dir, custodian });
  try {
    return vault.policyMark.get();
  } finally {
    vault.close();
  }
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

async function wardline(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line) };
  const code = await runCli(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeEach(async () => {
  dataDir = temporaryDataDir('policy-rollback');
  (await createVault({ dataDir: dataDir.dir, custodian, ward: TEST_WARD })).close();
});

afterEach(async () => {
  await wipeVault({ dataDir: dataDir.dir, custodian });
  await custodian.destroy(keyNameFor(dataDir.dir, 'audit')).catch(() => undefined);
  dataDir.remove();
});

describe('a rolled-back machine policy', () => {
  it('records the first policy accepted, in the encrypted vault', async () => {
    expect(await acceptedMark()).toBeNull();
    await startAndStop(policyIssued(MARCH));
    expect(await acceptedMark()).toEqual({ issued: MARCH, signedBy: org.pair.keyId });
    expect(readFileSync(path.join(dataDir.dir, 'vault.db')).includes(Buffer.from(MARCH))).toBe(false);
  });

  it('refuses to start under an older policy, even validly signed, and changes nothing', async () => {
    await startAndStop(policyIssued(MARCH));
    const auditBefore = sha256(auditFilePath(dataDir.dir));
    const error = await startAndStop(policyIssued(FEBRUARY, 600)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'PolicyError', code: 'POLICY_ROLLBACK' });
    expect(startFailureMessage(error)).toMatch(/before the policy this workstation already accepted[\s\S]*\(PolicyError POLICY_ROLLBACK\)/);
    expect(await acceptedMark()).toEqual({ issued: MARCH, signedBy: org.pair.keyId });
    expect(sha256(auditFilePath(dataDir.dir))).toBe(auditBefore);
  });

  it('starts again under the same policy, and a newer one moves the mark forward for good', async () => {
    await startAndStop(policyIssued(MARCH));
    await startAndStop(policyIssued(MARCH));
    expect(await acceptedMark()).toEqual({ issued: MARCH, signedBy: org.pair.keyId });
    await startAndStop(policyIssued(APRIL));
    expect(await acceptedMark()).toEqual({ issued: APRIL, signedBy: org.pair.keyId });
    await expect(startAndStop(policyIssued(MARCH))).rejects.toMatchObject({ code: 'POLICY_ROLLBACK' });
  });

  it('is reported by the CLI: `policy verify --data` refuses the old file as the workstation would, `status` shows the mark', async () => {
    await startAndStop(policyIssued(MARCH));
    const files = temporaryDataDir('policy-rollback-files');
    try {
      const publicKey = path.join(files.dir, 'org.pub');
      writeFileSync(publicKey, org.pair.publicKeyPem);
      writeFileSync(path.join(files.dir, 'old.json'), policyText(FEBRUARY));
      writeFileSync(path.join(files.dir, 'new.json'), policyText(APRIL));
      const old = await wardline([
        'policy',
        'verify',
        '--public-key',
        publicKey,
        '--file',
        path.join(files.dir, 'old.json'),
        '--data',
        dataDir.dir,
      ]);
      expect(old.code).toBe(1);
      expect(old.err).toContain('POLICY_ROLLBACK');
      const newer = await wardline([
        'policy',
        'verify',
        '--public-key',
        publicKey,
        '--file',
        path.join(files.dir, 'new.json'),
        '--data',
        dataDir.dir,
      ]);
      expect(newer).toMatchObject({ code: 0, err: '' });
      expect(newer.out).toContain(`accepted a policy issued ${MARCH}`);
      expect(await acceptedMark()).toEqual({ issued: MARCH, signedBy: org.pair.keyId });
      const status = await wardline(['status', '--json', '--data', dataDir.dir]);
      expect(JSON.parse(status.out)).toMatchObject({ vault: { acceptedPolicy: { issued: MARCH, signedBy: org.pair.keyId } } });
    } finally {
      files.remove();
    }
  });

  it("makes `status` judge the data by the staleness thresholds of the policy in force, not Wardline's defaults", async () => {
    const before = await wardline(['status', '--json', '--data', dataDir.dir]);
    expect(JSON.parse(before.out)).toMatchObject({
      stalenessThresholds: { amberMs: 15 * 60_000, redMs: 60 * 60_000, source: 'wardline-defaults' },
    });
    const strict = verifyPolicyText(policyText(MARCH, 5, { staleness: { amberMinutes: 5, redMinutes: 30 } }), [org.trusted]);
    await startAndStop(strict);
    const after = await wardline(['status', '--json', '--data', dataDir.dir]);
    expect(JSON.parse(after.out)).toMatchObject({ stalenessThresholds: { amberMs: 5 * 60_000, redMs: 30 * 60_000, source: 'policy' } });
    const text = await wardline(['status', '--data', dataDir.dir]);
    expect(text.out).toContain('staleness  amber after 5 min, red after 30 min (the policy in force)');
  });
});
