// Who a hub request is attributed to. Every FHIR request carries a device token; user actions
// carry a user token as well. Set by the identity room's preHandler, read by the FHIR routes.

import type { StaffRole } from '../../shared/access/index.js';

export type { StaffRole };

export interface DevicePrincipal {
  /** The enrolled device's client id (also the `iss`/`sub` of its assertions). */
  readonly deviceId: string;
  /** The ward the device was enrolled for: background sync is limited to it. */
  readonly ward: string;
  /** Whether the device token was granted write (`system/*.write`); reads need `system/*.read`. */
  readonly scope: { readonly read: boolean; readonly write: boolean };
}

export interface UserPrincipal {
  readonly userId: string;
  readonly username: string;
  readonly role: StaffRole;
  readonly wards: readonly string[];
}

export interface Principal {
  readonly device: DevicePrincipal;
  /** Present when the request carries a valid user token (bound to the same device). */
  readonly user?: UserPrincipal;
}
