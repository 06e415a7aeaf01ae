// A nurse of a ward signed in at a test hub, as most hub tests need her: an account made a day ago
// (so a Provenance recorded "now" falls within it), a device enrolled on the ward, and her session.
import { addUser } from '../../server/identity/index.js';
import type { TestDevice, TestHub } from './hub-harness.js';

export interface WardNurseSession {
  readonly userId: string;
  /** The ward's enrolled device, without a user. */
  readonly device: TestDevice;
  /** The same device with the nurse signed in. */
  readonly nurse: TestDevice;
}

export async function wardNurseSession(hub: TestHub, ward: string, username: string, password: string): Promise<WardNurseSession> {
  const { userId } = await addUser(
    hub.db,
    { username, password, role: 'nurse', wards: [ward], mfa: false },
    new Date(Date.now() - 86_400_000),
  );
  const device = await hub.enrollDevice(ward);
  return { userId, device, nurse: await device.signedIn(username, password) };
}
