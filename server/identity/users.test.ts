import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../storage/index.js';
import { identityMigrations } from './identity-migrations.js';
import { addUser, credentialStampsOfWard, disableUser, enableUser, findUserByUsername, setPassword } from './users.js';

let db: SqlDatabase;
beforeEach(async () => {
  db = openSqliteDatabase(':memory:');
  await runMigrations(db, identityMigrations);
});
afterEach(async () => db.close());

const base = { password: 'long enough secret', role: 'nurse' as const, wards: ['4east'], mfa: false };

describe('staff accounts', () => {
  it('refuses a second account with the same username, whatever its case', async () => {
    await addUser(db, { ...base, username: 'Jo.Smith' });
    await expect(addUser(db, { ...base, username: 'jo.smith' })).rejects.toMatchObject({ code: 'USERNAME_TAKEN', httpStatus: 409 });
  });

  it('refuses short passwords, unknown roles and accounts without a valid ward', async () => {
    await expect(addUser(db, { ...base, username: 'a', password: 'short' })).rejects.toMatchObject({ code: 'PASSWORD_TOO_SHORT' });
    await expect(addUser(db, { ...base, username: 'b', role: 'surgeon' as never })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    await expect(addUser(db, { ...base, username: 'c', wards: [] })).rejects.toMatchObject({ code: 'WARD_INVALID' });
    await expect(addUser(db, { ...base, username: 'd', wards: ['ward A; DROP'] })).rejects.toMatchObject({ code: 'WARD_INVALID' });
    expect(await db.query('SELECT user_id FROM identity_users')).toEqual([]);
  });

  it('changes the credential stamp when the password changes or the account is disabled or enabled', async () => {
    await addUser(db, { ...base, username: 'stamped' });
    const stamps = [(await findUserByUsername(db, 'stamped'))!.credentialStamp];
    await setPassword(db, 'stamped', 'another long secret');
    stamps.push((await findUserByUsername(db, 'stamped'))!.credentialStamp);
    await disableUser(db, 'stamped');
    stamps.push((await findUserByUsername(db, 'stamped'))!.credentialStamp);
    await enableUser(db, 'stamped');
    stamps.push((await findUserByUsername(db, 'stamped'))!.credentialStamp);
    expect(new Set(stamps).size).toBe(4);
  });

  it('tells IT when the username to change does not exist', async () => {
    await expect(setPassword(db, 'ghost', 'long enough secret')).rejects.toMatchObject({ code: 'USER_UNKNOWN', httpStatus: 404 });
    await expect(disableUser(db, 'ghost')).rejects.toMatchObject({ code: 'USER_UNKNOWN' });
  });

  it('lists the credential stamps of exactly the accounts of one ward', async () => {
    const a = await addUser(db, { ...base, username: 'east1', wards: ['4east'] });
    const b = await addUser(db, { ...base, username: 'both', wards: ['4east', 'icu'] });
    await addUser(db, { ...base, username: 'icu1', wards: ['icu'] });
    await disableUser(db, 'east1');
    const stamps = await credentialStampsOfWard(db, '4east', new Date());
    expect(stamps.map((s) => [s.userId, s.disabled, s.locked])).toEqual([
      [b.userId, false, false],
      [a.userId, true, false],
    ]);
  });

  it('marks an account locked in the stamps only while its lockout lasts', async () => {
    const user = await addUser(db, { ...base, username: 'locked1', wards: ['4east'] });
    const now = new Date('2026-12-07T10:00:00Z');
    await db.execute('UPDATE identity_users SET locked_until = $1 WHERE user_id = $2', [now.getTime() + 15 * 60_000, user.userId]);
    expect((await credentialStampsOfWard(db, '4east', now))[0]?.locked).toBe(true);
    expect((await credentialStampsOfWard(db, '4east', new Date(now.getTime() + 16 * 60_000)))[0]?.locked).toBe(false);
  });
});
