// `wardline-hub ward add|list`: the wards the hub serves (server/wards). `add` creates the ward's
// Location (or renames it); the ADT feed may then admit to it and `token --ward` issue enrollment
// tokens for it. Safe while the hub is serving: one write transaction of the store it serves from,
// which also records the change in the hub's trail (audit_hub_actions, with the OS account that ran it).
import { recordHubAction } from '../audit-trail/index.js';
import { listDevices } from '../identity/index.js';
import { addWard, checkWardCode, listWards, WardError } from '../wards/index.js';
import type { CliIo } from './admin-commands.js';
import { HubCliError } from './hub-cli-error.js';
import { openStore, type StoreOptions } from './hub-options.js';
import { operatingSystemUser } from './os-user.js';

function usageOf(error: unknown): unknown {
  return error instanceof WardError && error.code !== 'WARD_NOT_A_WARD' ? new HubCliError('USAGE', error.message) : error;
}

export async function wardAddCommand(options: StoreOptions & { code: string; name?: string }, io: CliIo): Promise<void> {
  try {
    checkWardCode(options.code);
  } catch (error) {
    throw usageOf(error);
  }
  const { db } = await openStore(options);
  try {
    const now = new Date();
    const record = (tx: typeof db, change: { renamed: boolean; locationId: string }): Promise<void> =>
      recordHubAction(tx, {
        action: change.renamed ? 'ward-rename' : 'ward-add',
        at: now,
        osUser: operatingSystemUser(),
        patientId: null,
        detail: { resource: `Location/${change.locationId}` },
      });
    const added = await addWard(db, options.code, options.name, now, record).catch((error: unknown) => {
      throw usageOf(error);
    });
    if (!added.changed) io.print(`Ward "${options.code}" is already set up (Location/${added.locationId}); nothing changed.`);
    else if (added.renamed) io.print(`Ward "${options.code}" renamed (Location/${added.locationId}).`);
    else {
      io.print(`Ward "${options.code}" set up (Location/${added.locationId}).`);
      io.print(
        `The ADT feed may now admit to it (PV1-3 ${options.code}^ROOM^BED); enroll its workstations with wardline-hub token --ward ${options.code}.`,
      );
    }
  } finally {
    await db.close();
  }
}

export async function wardListCommand(options: StoreOptions, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    const wards = await listWards(db);
    if (wards.length === 0) {
      io.print('No wards are set up; add one with wardline-hub ward add CODE --name "NAME".');
      return;
    }
    const devices = new Map<string, number>();
    for (const device of await listDevices(db)) {
      if (device.revokedAt === null) devices.set(device.ward, (devices.get(device.ward) ?? 0) + 1);
    }
    for (const ward of wards) {
      io.print(
        `${ward.code}  ${ward.name}  ${ward.inProgress} patient(s) in progress  ${devices.get(ward.code) ?? 0} workstation(s) enrolled`,
      );
    }
  } finally {
    await db.close();
  }
}
