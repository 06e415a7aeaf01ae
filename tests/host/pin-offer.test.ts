// PINs as the window learns of them: after a user's first online sign-in on this workstation,
// without a PIN, the sign-in answer asks the window to offer one; the lock screen is told who has a
// PIN, so a user without one is asked for the password instead. Real vault (credentials), real
// sessions, the IPC router behind the Transport port.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkstationHost, silentLogger, type WorkstationHost } from '../../electron/host/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents, FakeClock } from '../../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, createVault, keyNameFor, wipeVault } from '../../electron/vault/index.js';
import { temporaryDataDir } from '../../electron/vault/test-helpers.js';
import { appSenderCheck } from '../../electron/window/index.js';
import { MemoryTransport } from '../support/host-harness.js';

const custodian = createKeytarCustodian();
let dataDir: { dir: string; remove: () => void };
let host: WorkstationHost | null = null;
let transport: MemoryTransport;

beforeEach(async () => {
  dataDir = temporaryDataDir('pin-offer');
  (await createVault({ dataDir: dataDir.dir, custodian, ward: TEST_WARD })).close();
  const org = testOrganisation();
  const clock = new FakeClock();
  transport = new MemoryTransport();
  host = await openWorkstationHost({
    dataDir: dataDir.dir,
    policy: verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD }), [org.trusted]),
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
});

afterEach(async () => {
  await host?.close();
  host = null;
  await wipeVault({ dataDir: dataDir.dir, custodian });
  await custodian.destroy(keyNameFor(dataDir.dir, 'audit')).catch(() => undefined);
  dataDir.remove();
});

const nina = wardStaff().find((a) => a.username === 'nina')!;

async function send<T>(channel: string, request: unknown): Promise<T> {
  const result = await transport.send(channel, request);
  if (!result.ok) throw new Error(`${channel} refused: ${result.error.code}`);
  return result.value as T;
}

describe('PINs as the window learns of them', () => {
  it('offers a PIN after the first online sign-in here, and tells the lock screen who has one', async () => {
    const first = await send<{ offerPin?: boolean; snapshot: { active: { hasPin?: boolean } } }>('session:sign-in', {
      username: 'nina',
      password: nina.password,
    });
    expect(first.offerPin).toBe(true);
    expect(first.snapshot.active.hasPin).toBe(false);

    // She declines; at the lock, the window knows to ask for her password, not a PIN.
    const locked = await send<{ locked: Array<{ username: string; hasPin?: boolean }> }>('session:lock', {});
    expect(locked.locked).toEqual([expect.objectContaining({ username: 'nina', hasPin: false })]);

    const again = await send<{ offerPin?: boolean }>('session:sign-in', { username: 'nina', password: nina.password });
    expect(again.offerPin).toBeUndefined();
    await send('session:set-pin', { pin: '2468' });
    const withPin = await send<{ locked: Array<{ username: string; hasPin?: boolean }> }>('session:lock', {});
    expect(withPin.locked).toEqual([expect.objectContaining({ username: 'nina', hasPin: true })]);
    expect(await send('session:state', {})).toMatchObject({ locked: [{ username: 'nina', hasPin: true }] });
  });
});
