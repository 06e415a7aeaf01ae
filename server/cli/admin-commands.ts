// The hub's admin commands, each one call into the identity room: `token` (an enrollment token for
// a ward), `user add` (a staff account; the password from stdin or a hidden prompt), `user change`
// (role and/or wards; the user's tokens end, the next sign-in carries the change), `device
// revoke` (takes effect on the device's next request, in every hub process), `device list`. A token
// is issued, and an account given a ward, only for a ward the hub serves (set up with `ward add`).
// Each change is recorded in the hub's trail (audit_hub_actions, with the OS account that ran it) in
// the transaction that makes it, never with a secret: not the token, the password or the TOTP secret.
import { recordHubAction, type HubAction, type HubActionDetail } from '../audit-trail/index.js';
import {
  addUser,
  changeAccount,
  createEnrollmentToken,
  DEFAULT_ENROLLMENT_TTL_MINUTES,
  deviceStatus,
  findUserByUsername,
  listDevices,
  revokeDevice,
  type StaffRole,
} from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { STAFF_ROLES } from '../../shared/access/index.js';
import { isWardCode, WARD_CODE_RULE, wardLocationId } from '../../shared/fhir/index.js';
import { isWardServed } from '../wards/index.js';
import { HubCliError } from './hub-cli-error.js';
import { openStore, type StoreOptions } from './hub-options.js';
import { operatingSystemUser } from './os-user.js';
import { readPassword, type PasswordSource } from './read-password.js';

export interface CliIo extends PasswordSource {
  print(line: string): void;
  /** Text as is (an export), no newline added. */
  write(text: string): void;
}

/** Records what IT did in the hub's trail, in the caller's transaction (no change without its record). */
export function recordAdminAction(tx: SqlDatabase, action: HubAction, at: Date, detail: HubActionDetail): Promise<void> {
  return recordHubAction(tx, { action, at, osUser: operatingSystemUser(), patientId: null, detail });
}

/** Refuses a ward code that breaks the rule (usage) or a ward the hub does not serve, naming `ward add`. */
async function requireServedWards(db: SqlDatabase, wards: readonly string[]): Promise<void> {
  for (const ward of wards) {
    if (!isWardCode(ward)) throw new HubCliError('USAGE', `--ward ${ward}: ${WARD_CODE_RULE}`);
    if (!(await isWardServed(db, ward))) throw wardNotServed(ward);
  }
}

export async function tokenCommand(options: StoreOptions & { ward: string; ttlMinutes?: number }, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    const now = new Date();
    const ttlMinutes = options.ttlMinutes || DEFAULT_ENROLLMENT_TTL_MINUTES;
    const token = await db.transaction(async (tx) => {
      await requireServedWards(tx, [options.ward]);
      const issued = await createEnrollmentToken(tx, { ward: options.ward, ttlMinutes, now });
      // The ward and the expiry, never the token.
      await recordAdminAction(tx, 'token-issue', now, {
        resource: `Location/${wardLocationId(options.ward)}`,
        ward: options.ward,
        expires: new Date(now.getTime() + Math.round(ttlMinutes * 60_000)).toISOString(),
      });
      return issued;
    });
    io.print(token);
  } finally {
    await db.close();
  }
}

const ROLES: readonly StaffRole[] = STAFF_ROLES;

/** The one message for a ward the hub does not serve. */
export function wardNotServed(ward: string): HubCliError {
  return new HubCliError(
    'WARD_NOT_SERVED',
    `This hub does not serve a ward "${ward}"; set it up first with wardline-hub ward add ${ward} --name "NAME" (wardline-hub ward list shows the wards it serves).`,
  );
}

export async function userAddCommand(
  options: StoreOptions & { username: string; role: string; wards: string[]; mfa: boolean; passwordStdin: boolean },
  io: CliIo,
): Promise<void> {
  if (!ROLES.includes(options.role as StaffRole)) throw new HubCliError('USAGE', `--role must be one of ${ROLES.join(', ')}.`);
  if (options.wards.length === 0) throw new HubCliError('USAGE', 'Give at least one --ward for the account.');
  for (const ward of options.wards) if (!isWardCode(ward)) throw new HubCliError('USAGE', `--ward ${ward}: ${WARD_CODE_RULE}`);
  const { db } = await openStore(options);
  try {
    await requireServedWards(db, options.wards);
    const password = await readPassword(io, options.passwordStdin);
    const now = new Date();
    const added = await db.transaction(async (tx) => {
      await requireServedWards(tx, options.wards);
      const user = await addUser(
        tx,
        { username: options.username, password, role: options.role as StaffRole, wards: options.wards, mfa: options.mfa },
        now,
      );
      // The account's id, role, wards and whether it has a second factor; never the password or the TOTP secret.
      await recordAdminAction(tx, 'user-add', now, {
        resource: `Practitioner/${user.userId}`,
        role: options.role,
        wards: [...new Set(options.wards)].sort(),
        mfa: options.mfa,
      });
      return user;
    });
    io.print(`User ${options.username.toLowerCase()} added (id ${added.userId}, role ${options.role}, wards ${options.wards.join(', ')}).`);
    if (added.totpSecret) {
      io.print(`TOTP secret (enter it in the authenticator app now; it is not shown again): ${added.totpSecret}`);
      io.print(`otpauth URL: ${added.otpauthUrl}`);
    }
  } finally {
    await db.close();
  }
}

export async function userChangeCommand(
  options: StoreOptions & { username: string; role?: string; wards: string[] },
  io: CliIo,
): Promise<void> {
  if (options.role !== undefined && !ROLES.includes(options.role as StaffRole))
    throw new HubCliError('USAGE', `--role must be one of ${ROLES.join(', ')}.`);
  if (options.role === undefined && options.wards.length === 0)
    throw new HubCliError('USAGE', 'user change needs --role R, --ward W (the whole new list of wards), or both.');
  for (const ward of options.wards) if (!isWardCode(ward)) throw new HubCliError('USAGE', `--ward ${ward}: ${WARD_CODE_RULE}`);
  const { db } = await openStore(options);
  try {
    const now = new Date();
    const result = await db.transaction(async (tx) => {
      await requireServedWards(tx, options.wards);
      const before = await findUserByUsername(tx, options.username);
      const changed = await changeAccount(
        tx,
        options.username,
        {
          ...(options.role === undefined ? {} : { role: options.role as StaffRole }),
          ...(options.wards.length === 0 ? {} : { wards: options.wards }),
        },
        now,
      );
      if (changed.changed && before !== null) {
        const wardsBefore = [...before.wards].sort();
        // What changed, before and after; a change to what the account already had writes nothing.
        await recordAdminAction(tx, 'user-change', now, {
          resource: `Practitioner/${changed.userId}`,
          changes: {
            ...(before.role === changed.role ? {} : { role: { from: before.role, to: changed.role } }),
            ...(JSON.stringify(wardsBefore) === JSON.stringify(changed.wards) ? {} : { wards: { from: wardsBefore, to: changed.wards } }),
          },
        });
      }
      return changed;
    });
    const standing = `role ${result.role}, wards ${result.wards.join(', ')}`;
    io.print(
      result.changed
        ? `User ${options.username.toLowerCase()} changed (${standing}). Their sign-ins end now; the next sign-in carries the change.`
        : `User ${options.username.toLowerCase()} already has ${standing}; nothing changed.`,
    );
  } finally {
    await db.close();
  }
}

export async function deviceRevokeCommand(options: StoreOptions & { clientId: string }, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    const now = new Date();
    await db.transaction(async (tx) => {
      const status = await deviceStatus(tx, options.clientId);
      await revokeDevice(tx, options.clientId, now);
      // A workstation revoked before is not revoked again, and not recorded again.
      if (status !== null && !status.revoked) {
        await recordAdminAction(tx, 'device-revoke', now, { resource: `Device/${options.clientId}`, ward: status.ward });
      }
    });
    io.print(`Device ${options.clientId} revoked; its next request is refused.`);
  } finally {
    await db.close();
  }
}

export async function deviceListCommand(options: StoreOptions & { ward?: string }, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    const devices = await listDevices(db, options.ward ? { ward: options.ward } : {});
    if (devices.length === 0) io.print('No workstations are enrolled.');
    for (const device of devices) {
      const state = device.revokedAt === null ? 'active' : `revoked ${new Date(device.revokedAt).toISOString()}`;
      io.print(`${device.clientId}  ward ${device.ward}  enrolled ${new Date(device.enrolledAt).toISOString()}  ${state}`);
    }
  } finally {
    await db.close();
  }
}
