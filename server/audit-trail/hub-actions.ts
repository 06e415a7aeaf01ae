// What IT does from the hub's command line, recorded in the hub's trail the way the privacy
// officer's exports are (trail-views.ts): the operating-system account that ran the command, when,
// the action, the patient as an id (none for a ward set up or an account), and what was acted on
// (the resource or resource version; for documentation also the outbox entry and IT's reason; for
// an account, a token, a workstation or a feed what it became, never a secret) as JSON. Written in the
// caller's transaction, with the change it records: no change without its record. HUB_ACTION_CODING
// is the one table of how each action is shown as an AuditEvent (and searched by `type`).
import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../storage/index.js';

export const HUB_ACTIONS = [
  'upstream-retry',
  'upstream-close',
  'ward-add',
  'ward-rename',
  'token-issue',
  'user-add',
  'user-change',
  'device-revoke',
  'feed-add',
  'feed-revoke',
  'keys-rotate',
] as const;
export type HubAction = (typeof HUB_ACTIONS)[number];

export interface HubActionCoding {
  /** AuditEvent.type, a DICOM (DCM) code. */
  readonly type: { readonly code: string; readonly display: string };
  /** AuditEvent.action. */
  readonly action: 'C' | 'U';
  /** The command IT ran, as shown in the event (`wardline-hub …`). */
  readonly command: string;
}

const PATIENT_RECORD = { code: '110110', display: 'Patient Record' } as const;
const SOFTWARE_CONFIGURATION = { code: '110131', display: 'Software Configuration' } as const;
const SECURITY_CONFIGURATION = { code: '110129', display: 'Security Configuration' } as const;
const USER_SECURITY_ATTRIBUTES = { code: '110137', display: 'User Security Attributes Changed' } as const;
const SECURITY_ROLES = { code: '110136', display: 'Security Roles Changed' } as const;

/**
 * Each action's AuditEvent coding: documentation acted on is a Patient Record event, a ward set up a
 * Software Configuration one; who may reach the hub (an enrollment token issued, a workstation
 * revoked, an ADT feed added or revoked) Security Configuration; an account added User Security
 * Attributes Changed, its role or wards changed Security Roles Changed; the hub key rotated Security
 * Configuration.
 */
export const HUB_ACTION_CODING: Readonly<Record<HubAction, HubActionCoding>> = {
  'upstream-retry': { type: PATIENT_RECORD, action: 'U', command: 'upstream retry' },
  'upstream-close': { type: PATIENT_RECORD, action: 'U', command: 'upstream close' },
  'ward-add': { type: SOFTWARE_CONFIGURATION, action: 'U', command: 'ward add' },
  'ward-rename': { type: SOFTWARE_CONFIGURATION, action: 'U', command: 'ward add' },
  'token-issue': { type: SECURITY_CONFIGURATION, action: 'C', command: 'token' },
  'user-add': { type: USER_SECURITY_ATTRIBUTES, action: 'C', command: 'user add' },
  'user-change': { type: SECURITY_ROLES, action: 'U', command: 'user change' },
  'device-revoke': { type: SECURITY_CONFIGURATION, action: 'U', command: 'device revoke' },
  'feed-add': { type: SECURITY_CONFIGURATION, action: 'C', command: 'feed add' },
  'feed-revoke': { type: SECURITY_CONFIGURATION, action: 'U', command: 'feed revoke' },
  'keys-rotate': { type: SECURITY_CONFIGURATION, action: 'U', command: 'rotate-keys' },
};

/**
 * What was acted on: ids, references, codes and IT's own words (recorded as given). Never a secret:
 * not the enrollment token, a password, a TOTP secret or a feed's secret; never a username (the
 * account's id, its username resolved when the trail is read).
 */
export interface HubActionDetail {
  /**
   * The resource (`Location/ward-4north`), resource version (`Observation/…/_history/2`), account
   * (`Practitioner/{user id}`) or workstation (`Device/{client id}`) acted on.
   */
  readonly resource?: string;
  /** The outbox entry, for `upstream retry|close`. */
  readonly entry?: number;
  readonly reason?: string;
  readonly dependents?: number;
  /** `token`: the ward the token enrolls a workstation into, and when the token expires (ISO 8601). */
  readonly ward?: string;
  readonly expires?: string;
  /** `user add`: the account's role, wards and whether it signs in with a second factor. */
  readonly role?: string;
  readonly wards?: readonly string[];
  readonly mfa?: boolean;
  /** `user change`: what changed, before and after. */
  readonly changes?: {
    readonly role?: { readonly from: string; readonly to: string };
    readonly wards?: { readonly from: readonly string[]; readonly to: readonly string[] };
  };
  /** `feed add|revoke`: the feed's name, and (add) the sender it may send as (MSH-3, MSH-4). */
  readonly feed?: string;
  readonly application?: string;
  readonly facility?: string;
  /** `rotate-keys`: how many protected secrets were re-wrapped under the new key. */
  readonly secrets?: number;
}

/** The account a detail names (`Practitioner/{user id}`), whose username the view resolves; null for none. */
export function userIdOfDetail(detail: HubActionDetail): string | null {
  return typeof detail.resource === 'string' && detail.resource.startsWith('Practitioner/')
    ? detail.resource.slice('Practitioner/'.length)
    : null;
}

/** What the command did, in words (ids, codes; `username` resolved by the caller), after the command in the view's description. */
export function hubActionSummary(action: HubAction, detail: HubActionDetail, username: string | undefined): string {
  const who = username === undefined ? '' : ` ${username}`;
  const list = (wards: readonly string[] | undefined): string => (wards ?? []).join(', ');
  switch (action) {
    case 'token-issue':
      return ` --ward ${detail.ward ?? '?'}${detail.expires === undefined ? '' : ` (expires ${detail.expires})`}`;
    case 'user-add':
      return `${who} (role ${detail.role ?? '?'}, wards ${list(detail.wards)}${detail.mfa ? ', second factor' : ''})`;
    case 'user-change': {
      const parts = [
        ...(detail.changes?.role ? [`role ${detail.changes.role.from} → ${detail.changes.role.to}`] : []),
        ...(detail.changes?.wards ? [`wards ${list(detail.changes.wards.from)} → ${list(detail.changes.wards.to)}`] : []),
      ];
      return `${who} (${parts.join('; ')})`;
    }
    case 'device-revoke':
      return detail.ward === undefined ? '' : ` (ward ${detail.ward})`;
    case 'feed-add':
      return ` ${detail.feed ?? '?'} (MSH-3 ${detail.application ?? '?'}, MSH-4 ${detail.facility ?? '?'})`;
    case 'feed-revoke':
      return ` ${detail.feed ?? '?'}`;
    case 'keys-rotate':
      return detail.secrets === undefined ? '' : ` (${detail.secrets} protected secret(s) re-wrapped, new token-signing key)`;
    default:
      return '';
  }
}

export interface HubActionRecord {
  readonly action: HubAction;
  readonly at: Date;
  readonly osUser: string;
  /** The patient the documentation is about; null when the action is about no patient (a ward). */
  readonly patientId: string | null;
  readonly detail: HubActionDetail;
}

export async function recordHubAction(db: SqlDatabase, record: HubActionRecord): Promise<void> {
  await db.execute(`INSERT INTO audit_hub_actions (id, at, action, os_user, patient_id, detail) VALUES ($1, $2, $3, $4, $5, $6)`, [
    randomUUID(),
    record.at.getTime(),
    record.action,
    record.osUser.slice(0, 128),
    record.patientId,
    JSON.stringify(record.detail),
  ]);
}

/** The SQL expression of a row's AuditEvent.type code, from `column` (the action): HUB_ACTION_CODING, for the trail's `type` filter. */
export function hubActionTypeCodeSql(column: string): string {
  const cases = HUB_ACTIONS.map((action) => `WHEN '${action}' THEN '${HUB_ACTION_CODING[action].type.code}'`).join(' ');
  return `CASE ${column} ${cases} ELSE NULL END`;
}
