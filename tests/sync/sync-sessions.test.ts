// What the sync room does for the sessions room: sign-in at the hub over the pinned, device-
// authenticated connection (the HubLogin port), and the ward's credential stamps after each sync.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, disableUser } from '../../server/identity/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import type { CredentialStampsResponse } from '../../shared/auth/index.js';
import type { Vault } from '../../electron/vault/index.js';
import { createSyncEngine, type SyncEngine } from '../../electron/sync/index.js';
import { enrollTestWorkstation, FAST_POLICY, seedGeneratedWard, type TestWorkstation } from './sync-test-kit.js';

let hub: TestHub;
let station: TestWorkstation;
let vault: Vault;
let engine: SyncEngine;
const received: CredentialStampsResponse[] = [];

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'sync-sessions', patients: 1, days: 1 });
  await addUser(hub.db, { username: 'nurse.a', password: 'correct horse battery', role: 'nurse', wards: ['a'], mfa: false });
  await addUser(hub.db, { username: 'nurse.b', password: 'correct horse battery', role: 'nurse', wards: ['b'], mfa: false });
  station = await enrollTestWorkstation(hub, 'a');
  vault = await station.openVault();
  engine = createSyncEngine({
    vault,
    dataDir: station.dataDir,
    custodian: station.custodian,
    logger: station.logger,
    audit: station.audit,
    policy: FAST_POLICY,
    credentialStamps: { applyCredentialStamps: async (response) => void received.push(response) },
  });
});

afterAll(async () => {
  await engine?.close();
  vault?.close();
  await station?.remove();
  await hub?.stop();
});

describe('sync: for the sessions room', () => {
  it("signs a user in at the hub and passes on a refusal with the hub's stable code", async () => {
    const login = engine.hubLogin();
    const ok = await login.login('nurse.a', 'correct horse battery');
    expect(ok.outcome).toBe('signed-in');
    if (ok.outcome === 'signed-in') expect(ok.session.user).toMatchObject({ username: 'nurse.a', role: 'nurse', wards: ['a'] });
    expect(await login.login('nurse.a', 'wrong password!')).toMatchObject({ outcome: 'refused', code: 'INVALID_CREDENTIALS' });
    expect(await login.login('nurse.b', 'correct horse battery')).toMatchObject({ outcome: 'refused', code: 'WARD_NOT_ASSIGNED' });
  });

  it("hands the ward's credential stamps to the sessions room after each sync, so a disabled account stops working here", async () => {
    await engine.syncOnce();
    expect(received).toHaveLength(1);
    expect(received[0]!.ward).toBe('a');
    expect(received[0]!.users.map((user) => [user.username, user.disabled])).toEqual([['nurse.a', false]]);
    await disableUser(hub.db, 'nurse.a');
    await engine.syncOnce();
    expect(received[1]!.users.find((user) => user.username === 'nurse.a')?.disabled).toBe(true);
  });
});
