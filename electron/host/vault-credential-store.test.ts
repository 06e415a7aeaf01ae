// Offline and PIN verifiers live in the encrypted vault: they survive a restart of the host, a
// username belongs to one account, and neither a PIN lockout nor a spent TOTP code can be undone
// by restarting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticator } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { TOTP_STEP_SECONDS } from '../../shared/auth/index.js';
import type { SessionError, StoredCredentials } from '../session/index.js';
import { sessionHarness } from '../session/test-helpers.js';
import { createKeytarCustodian, createVault, openVault, wipeVault } from '../vault/index.js';
import { vaultCredentialStore } from './vault-credential-store.js';

const dirs: string[] = [];
const custodian = createKeytarCustodian();

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-credentials-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) {
    await wipeVault({ dataDir: dir, custodian });
    rmSync(dir, { recursive: true, force: true });
  }
});

const nurse: StoredCredentials = {
  userId: 'u-1',
  username: 'nurse.one',
  role: 'nurse',
  wards: ['demo'],
  credentialStamp: 'stamp-1',
  mfaRequired: false,
  passwordVerifier: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2g',
  verifiedAt: 1_700_000_000_000,
  pinVerifier: null,
  pinSetAt: null,
  pinFailures: 0,
  totpSecret: null,
  totpLastStep: null,
};

describe('credentials kept in the vault for the sessions room', () => {
  it("keeps a user's verifiers and wrong-PIN count across a restart of the host", async () => {
    const dataDir = freshDir();
    const vault = await createVault({ dataDir, custodian, ward: 'ward-demo' });
    await vaultCredentialStore(vault).put({ ...nurse, pinVerifier: '$argon2id$pin', pinSetAt: 1, pinFailures: 4 });
    vault.close();

    const reopened = await openVault({ dataDir, custodian });
    const store = vaultCredentialStore(reopened);
    expect(await store.get('u-1')).toEqual({ ...nurse, pinVerifier: '$argon2id$pin', pinSetAt: 1, pinFailures: 4 });
    expect(await store.findByUsername('nurse.one')).toMatchObject({ userId: 'u-1', pinFailures: 4 });
    reopened.close();
  });

  it('gives a username to one account only: a new account with the same name replaces the old record', async () => {
    const vault = await createVault({ dataDir: freshDir(), custodian });
    const store = vaultCredentialStore(vault);
    await store.put(nurse);
    await store.put({ ...nurse, userId: 'u-2', credentialStamp: 'stamp-9' });
    expect(await store.get('u-1')).toBeNull();
    expect((await store.list()).map((r) => r.userId)).toEqual(['u-2']);
    await store.delete('u-2');
    expect(await store.list()).toEqual([]);
    vault.close();
  });

  it('refuses an offline TOTP code replayed after the host restarts, within its validity window', async () => {
    const dataDir = freshDir();
    const secret = authenticator.generateSecret(20);
    const vault = await createVault({ dataDir, custodian, ward: 'ward-demo' });
    const first = sessionHarness({ credentials: vaultCredentialStore(vault) });
    const paul = first.hub.account('paul');
    paul.totp = '123456';
    paul.totpSecret = secret;
    await first.manager.signInOnline('paul', paul.password, '123456');
    first.manager.signOut();
    first.hub.reachable = false;
    const code = authenticator.clone({ epoch: first.clock.now(), step: TOTP_STEP_SECONDS }).generate(secret);
    await first.manager.signInOffline('paul', paul.password, code);
    first.manager.signOut();
    first.manager.close();
    vault.close();

    // The host restarts a few seconds later (same step): the code seen over the shoulder is refused.
    const reopened = await openVault({ dataDir, custodian });
    const second = sessionHarness({ credentials: vaultCredentialStore(reopened) });
    second.clock.advanceTo(first.clock.now() + 5_000);
    second.hub.reachable = false;
    const replay = await second.manager.signInOffline('paul', paul.password, code).then(
      () => null,
      (error: unknown) => error as SessionError,
    );
    expect(replay?.code).toBe('TOTP_INVALID');
    expect(second.manager.current().active).toBeNull();
    second.manager.close();
    reopened.close();
  });
});
