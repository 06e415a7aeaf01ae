// The policy's key rotation (vault.rekeyAfterDays) in the running host: once the keys are older than
// the interval, the host changes the keys of the chart cache and the audit trail, but only when no
// session is active, and records it in the audit trail as its own doing. Real vault and audit trail,
// keys in the real OS keystore, the real sessions behind the IPC router.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, createVault, keyNameFor, wipeVault } from '../../electron/vault/index.js';
import { temporaryDataDir } from '../../electron/vault/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { generateWard } from '../../shared/synthetic/index.js';
import { MemoryTransport } from '../support/host-harness.js';

const DAY = 24 * 3_600_000;
const custodian = createKeytarCustodian();
let dataDir: { dir: string; remove: () => void };
let host: WorkstationHost | null = null;

beforeEach(async () => {
  dataDir = temporaryDataDir('rekey-schedule');
  const ward = generateWard({ seed: 'rekey-schedule', patients: 2, days: 1, ward: { id: TEST_WARD, name: 'Ward 7' } });
  const vault = await createVault({ dataDir: dataDir.dir, custodian, ward: ward.location.id! });
  vault.resources.upsertMany(ward.resources);
  vault.close();
});

afterEach(async () => {
  await host?.close();
  host = null;
  await wipeVault({ dataDir: dataDir.dir, custodian });
  await custodian.destroy(keyNameFor(dataDir.dir, 'audit')).catch(() => undefined);
  dataDir.remove();
});

async function keys(): Promise<string> {
  const vault = await custodian.load(keyNameFor(dataDir.dir, 'vault'));
  const audit = await custodian.load(keyNameFor(dataDir.dir, 'audit'));
  return `${vault!.toString('hex')}/${audit!.toString('hex')}`;
}

describe("the host's key rotation on the policy's interval", () => {
  it('changes both keys once they are older than the interval, only when no session is active, and records it', async () => {
    const org = testOrganisation();
    const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD, vault: { rekeyAfterDays: 1 } }), [org.trusted]);
    expect(policy.rekeyAfterMs).toBe(DAY);
    const clock = new FakeClock(Date.now());
    const transport = new MemoryTransport();
    host = await openWorkstationHost({
      dataDir: dataDir.dir,
      policy,
      custodian,
      powerEvents: new ControllablePowerEvents(),
      transport,
      isTrustedSender: appSenderCheck(() => new Set([1])),
      logger: silentLogger(),
      clock,
      scheduler: clock,
      hubLogin: new ScriptedHubLogin(wardStaff()),
      hashing: CHEAP_HASHING,
    });
    const original = await keys();
    expect(await host.rekeys.check()).toBe(false);

    clock.advance(2 * DAY);
    const nina = wardStaff().find((a) => a.username === 'nina')!;
    expect(await transport.send('session:sign-in', { username: 'nina', password: nina.password })).toMatchObject({ ok: true });
    // Due, but a nurse is at work: nothing happens under her.
    expect(await host.rekeys.check()).toBe(false);
    expect(await keys()).toBe(original);

    await transport.send('session:sign-out', {});
    // The end of her session is the safe moment.
    await host.rekeys.check();
    expect(await keys()).not.toBe(original);
    // Recorded at its start (before any key was touched) and at its end.
    const entries = host.audit
      .find({ limit: 1000 })
      .filter((e) => e.action === 'rekey')
      .sort((a, b) => a.sequence - b.sequence);
    expect(entries).toEqual([
      expect.objectContaining({ outcome: 'success', requestor: false, detail: { by: 'host', stage: 'started' } }),
      expect.objectContaining({ outcome: 'success', requestor: false, detail: { by: 'host', stage: 'ended', vault: true, audit: true } }),
    ]);
    expect(host.audit.verify().ok).toBe(true);
    expect(host.vault.census().length).toBeGreaterThan(0);
  });
});
