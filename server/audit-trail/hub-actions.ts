// What IT does from the hub's command line, recorded in the hub's trail the way the privacy
// officer's exports are (trail-views.ts): the operating-system account that ran the command, when,
// the action, the patient as an id (none for a ward set up), and what was acted on (the resource or
// resource version; for documentation also the outbox entry and IT's reason) as JSON. Written in the
// caller's transaction, with the change it records: no change without its record. HUB_ACTION_CODING
// is the one table of how each action is shown as an AuditEvent (and searched by `type`).
import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../storage/index.js';

export const HUB_ACTIONS = ['upstream-retry', 'upstream-close', 'ward-add', 'ward-rename'] as const;
export type HubAction = (typeof HUB_ACTIONS)[number];

export interface HubActionCoding {
  /** AuditEvent.type, a DICOM (DCM) code. */
  readonly type: { readonly code: string; readonly display: string };
  /** AuditEvent.action. */
  readonly action: 'C' | 'U';
  /** The command IT ran, as shown in the event (`wardline-hub …`). */
  readonly command: string;
}

/** Each action's AuditEvent coding: documentation acted on is a Patient Record event, a ward set up a Software Configuration one. */
export const HUB_ACTION_CODING: Readonly<Record<HubAction, HubActionCoding>> = {
  'upstream-retry': { type: { code: '110110', display: 'Patient Record' }, action: 'U', command: 'upstream retry' },
  'upstream-close': { type: { code: '110110', display: 'Patient Record' }, action: 'U', command: 'upstream close' },
  'ward-add': { type: { code: '110131', display: 'Software Configuration' }, action: 'U', command: 'ward add' },
  'ward-rename': { type: { code: '110131', display: 'Software Configuration' }, action: 'U', command: 'ward add' },
};

/** What was acted on: ids, references and IT's own words (recorded as given). */
export interface HubActionDetail {
  /** The resource (`Location/ward-4north`) or resource version (`Observation/…/_history/2`) acted on. */
  readonly resource: string;
  /** The outbox entry, for `upstream retry|close`. */
  readonly entry?: number;
  readonly reason?: string;
  readonly dependents?: number;
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
