// Demo staff for the demo ward, made through the identity room: a nurse, a physician (with MFA) and
// an admin, each with a fresh random password printed at start. On a hub that has them already the
// passwords are reset (and printed again); the TOTP secret is only shown when the account is made.
import { randomInt } from 'node:crypto';
import { addUser, IdentityError, setPassword } from '../identity/index.js';
import type { StaffRole } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { DEMO_WARD } from './seed-demo-ward.js';

export interface DemoAccount {
  readonly username: string;
  readonly role: StaffRole;
  readonly password: string;
  readonly mfa: boolean;
  /** Only when the account was created now. */
  readonly totpSecret?: string;
  readonly otpauthUrl?: string;
}

const ACCOUNTS: readonly { username: string; role: StaffRole; mfa: boolean }[] = [
  { username: 'nurse.demo', role: 'nurse', mfa: false },
  { username: 'dr.demo', role: 'physician', mfa: true },
  { username: 'admin.demo', role: 'admin', mfa: false },
];

const WORDS = [
  'amber',
  'birch',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'grove',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lumen',
  'meadow',
  'nimbus',
  'orchid',
  'pepper',
  'quartz',
  'raven',
  'sierra',
  'tundra',
  'umber',
  'violet',
  'willow',
  'zephyr',
];

/** Four random words and two digits: easy to type at a demo, ~26 bits (demo only). */
function demoPassword(): string {
  const words = Array.from({ length: 4 }, () => WORDS[randomInt(WORDS.length)]!);
  return `${words.join('-')}-${randomInt(10, 100)}`;
}

export async function ensureDemoAccounts(db: SqlDatabase, now: Date): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [];
  for (const account of ACCOUNTS) {
    const password = demoPassword();
    try {
      const added = await addUser(db, { ...account, password, wards: [DEMO_WARD.id] }, now);
      accounts.push({
        ...account,
        password,
        ...(added.totpSecret ? { totpSecret: added.totpSecret } : {}),
        ...(added.otpauthUrl ? { otpauthUrl: added.otpauthUrl } : {}),
      });
    } catch (error) {
      if (!(error instanceof IdentityError) || error.code !== 'USERNAME_TAKEN') throw error;
      await setPassword(db, account.username, password, now);
      accounts.push({ ...account, password });
    }
  }
  return accounts;
}
