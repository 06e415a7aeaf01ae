// The hub's admin commands, each one call into the identity room: `token` (an enrollment token for
// a ward), `user add` (a staff account; the password from stdin or a hidden prompt), `user change`
// (role and/or wards; the user's tokens end, the next sign-in carries the change), `device
// revoke` (takes effect on the device's next request, in every hub process), `device list`. A token
// is issued only for a ward the hub serves (set up with `ward add`).
import { addUser, changeAccount, createEnrollmentToken, listDevices, revokeDevice, type StaffRole } from '../identity/index.js';
import { STAFF_ROLES } from '../../shared/access/index.js';
import { isWardServed } from '../wards/index.js';
import { HubCliError } from './hub-cli-error.js';
import { openStore, type StoreOptions } from './hub-options.js';
import { readPassword, type PasswordSource } from './read-password.js';

export interface CliIo extends PasswordSource {
  print(line: string): void;
  /** Text as is (an export), no newline added. */
  write(text: string): void;
}

export async function tokenCommand(options: StoreOptions & { ward: string; ttlMinutes?: number }, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    if (!(await isWardServed(db, options.ward))) throw wardNotServed(options.ward);
    const token = await createEnrollmentToken(db, {
      ward: options.ward,
      ...(options.ttlMinutes ? { ttlMinutes: options.ttlMinutes } : {}),
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
  const password = await readPassword(io, options.passwordStdin);
  const { db } = await openStore(options);
  try {
    const added = await addUser(db, {
      username: options.username,
      password,
      role: options.role as StaffRole,
      wards: options.wards,
      mfa: options.mfa,
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
  const { db } = await openStore(options);
  try {
    const result = await changeAccount(db, options.username, {
      ...(options.role === undefined ? {} : { role: options.role as StaffRole }),
      ...(options.wards.length === 0 ? {} : { wards: options.wards }),
    });
    const now = `role ${result.role}, wards ${result.wards.join(', ')}`;
    io.print(
      result.changed
        ? `User ${options.username.toLowerCase()} changed (${now}). Their sign-ins end now; the next sign-in carries the change.`
        : `User ${options.username.toLowerCase()} already has ${now}; nothing changed.`,
    );
  } finally {
    await db.close();
  }
}

export async function deviceRevokeCommand(options: StoreOptions & { clientId: string }, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    await revokeDevice(db, options.clientId);
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
