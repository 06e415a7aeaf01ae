import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openPostgresDatabase, openSqliteDatabase, runMigrations, SecretEnvelope, type SqlDatabase } from '../storage/index.js';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.js';
import { identityMigrations } from './identity-migrations.js';
import { IdentityError } from './identity-error.js';
import { checkLogin, LOCKOUT_MINUTES, MAX_FAILED_LOGINS } from './login.js';
import { currentTotpCode } from './totp.js';
import { addUser, disableUser, setPassword } from './users.js';

let db: SqlDatabase;
let now: Date;
const PASSWORD = 'correct horse battery';

let postgres: TestPostgres | undefined;
beforeAll(async () => {
  postgres = await startTestPostgres();
});
afterAll(async () => {
  await postgres?.stop();
});

async function refusal(promise: Promise<unknown>): Promise<IdentityError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdentityError);
  return error as IdentityError;
}

describe.each(['sqlite', 'postgres'] as const)('staff sign-in at a workstation (%s)', (engine) => {
  beforeEach(async () => {
    db =
      engine === 'sqlite'
        ? openSqliteDatabase(':memory:')
        : await openPostgresDatabase(await postgres!.createDatabase(), { secrets: SecretEnvelope.withKeys(randomBytes(32)) });
    await runMigrations(db, identityMigrations);
    now = new Date('2026-03-02T08:00:00Z');
  });
  afterEach(async () => db.close());

  it('signs in with the right password and answers the same way for a wrong password and an unknown user', async () => {
    const { userId } = await addUser(db, { username: 'NNurse', password: PASSWORD, role: 'nurse', wards: ['4east'], mfa: false });
    const user = await checkLogin(db, { username: 'nnurse', password: PASSWORD }, '4east', now);
    expect(user).toMatchObject({ userId, username: 'nnurse', role: 'nurse', wards: ['4east'] });

    const wrong = await refusal(checkLogin(db, { username: 'nnurse', password: 'wrong password' }, '4east', now));
    const unknown = await refusal(checkLogin(db, { username: 'nobody', password: 'wrong password' }, '4east', now));
    expect([wrong.code, wrong.message, wrong.httpStatus]).toEqual([unknown.code, unknown.message, unknown.httpStatus]);
    expect(wrong.code).toBe('INVALID_CREDENTIALS');
  });

  it('stores only an argon2id hash of the password', async () => {
    await addUser(db, { username: 'hasher', password: PASSWORD, role: 'clerk', wards: ['4east'], mfa: false });
    const [row] = await db.query<{ password_hash: string }>('SELECT password_hash FROM identity_users');
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(row?.password_hash).not.toContain(PASSWORD);
  });

  it(`locks the account after ${MAX_FAILED_LOGINS} failures, even for the right password, until the lock expires`, async () => {
    await addUser(db, { username: 'target', password: PASSWORD, role: 'nurse', wards: ['4east'], mfa: false });
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) {
      expect((await refusal(checkLogin(db, { username: 'target', password: `guess-${i}` }, '4east', now))).code).toBe(
        'INVALID_CREDENTIALS',
      );
    }
    expect((await refusal(checkLogin(db, { username: 'target', password: PASSWORD }, '4east', now))).code).toBe('ACCOUNT_LOCKED');
    const later = new Date(now.getTime() + LOCKOUT_MINUTES * 60_000 + 1000);
    await expect(checkLogin(db, { username: 'target', password: PASSWORD }, '4east', later)).resolves.toMatchObject({ username: 'target' });
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    await addUser(db, { username: 'forgetful', password: PASSWORD, role: 'nurse', wards: ['4east'], mfa: false });
    for (let i = 0; i < MAX_FAILED_LOGINS - 1; i++)
      await refusal(checkLogin(db, { username: 'forgetful', password: 'nope-nope' }, '4east', now));
    await checkLogin(db, { username: 'forgetful', password: PASSWORD }, '4east', now);
    expect((await refusal(checkLogin(db, { username: 'forgetful', password: 'nope-nope' }, '4east', now))).code).toBe(
      'INVALID_CREDENTIALS',
    );
    await expect(checkLogin(db, { username: 'forgetful', password: PASSWORD }, '4east', now)).resolves.toBeDefined();
  });

  it('asks for the TOTP code of an MFA account, accepts the current code once, and refuses its replay', async () => {
    const added = await addUser(db, { username: 'doc', password: PASSWORD, role: 'physician', wards: ['icu'], mfa: true });
    expect(added.totpSecret).toMatch(/^[A-Z2-7]+$/);
    expect(added.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Wardline:doc\?secret=/);
    const secret = added.totpSecret!;

    expect((await refusal(checkLogin(db, { username: 'doc', password: PASSWORD }, 'icu', now))).code).toBe('MFA_REQUIRED');
    const code = currentTotpCode(secret, now);
    const wrongCode = code === '000000' ? '111111' : '000000';
    expect((await refusal(checkLogin(db, { username: 'doc', password: PASSWORD, totp: wrongCode }, 'icu', now))).code).toBe('MFA_INVALID');
    await expect(checkLogin(db, { username: 'doc', password: PASSWORD, totp: code }, 'icu', now)).resolves.toMatchObject({
      mfaRequired: true,
    });
    const replay = await refusal(
      checkLogin(db, { username: 'doc', password: PASSWORD, totp: code }, 'icu', new Date(now.getTime() + 5_000)),
    );
    expect(replay.code).toBe('MFA_INVALID');
    expect(replay.message).toMatch(/already used/);

    const nextStep = new Date(now.getTime() + 30_000);
    await expect(
      checkLogin(db, { username: 'doc', password: PASSWORD, totp: currentTotpCode(secret, nextStep) }, 'icu', nextStep),
    ).resolves.toBeDefined();
  });

  it('refuses a TOTP code from several minutes ago', async () => {
    const { totpSecret } = await addUser(db, { username: 'slow', password: PASSWORD, role: 'physician', wards: ['icu'], mfa: true });
    const old = currentTotpCode(totpSecret!, new Date(now.getTime() - 5 * 60_000));
    expect((await refusal(checkLogin(db, { username: 'slow', password: PASSWORD, totp: old }, 'icu', now))).code).toBe('MFA_INVALID');
  });

  it('refuses a user on a workstation of a ward the account is not assigned to', async () => {
    await addUser(db, { username: 'floater', password: PASSWORD, role: 'nurse', wards: ['4east', '5west'], mfa: false });
    await expect(checkLogin(db, { username: 'floater', password: PASSWORD }, '5west', now)).resolves.toBeDefined();
    const refused = await refusal(checkLogin(db, { username: 'floater', password: PASSWORD }, 'icu', now));
    expect([refused.code, refused.httpStatus]).toEqual(['WARD_NOT_ASSIGNED', 403]);
  });

  it('refuses a disabled account, and a password change lets the new password in and the old one not', async () => {
    await addUser(db, { username: 'leaver', password: PASSWORD, role: 'clerk', wards: ['4east'], mfa: false });
    await setPassword(db, 'leaver', 'a brand new secret');
    expect((await refusal(checkLogin(db, { username: 'leaver', password: PASSWORD }, '4east', now))).code).toBe('INVALID_CREDENTIALS');
    await expect(checkLogin(db, { username: 'leaver', password: 'a brand new secret' }, '4east', now)).resolves.toBeDefined();
    await disableUser(db, 'leaver');
    expect((await refusal(checkLogin(db, { username: 'leaver', password: 'a brand new secret' }, '4east', now))).code).toBe(
      'ACCOUNT_DISABLED',
    );
  });
});
