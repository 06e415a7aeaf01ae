// What IT did to documentation from the hub's command line, recorded in the hub's trail the way the
// privacy officer's exports are (trail-views.ts): the operating-system account that ran the command,
// when, the action (`upstream-retry`, `upstream-close`), the patient as an id, and what was acted on
// (the outbox entry, the resource version, IT's reason) as JSON. Written in the caller's
// transaction, with the change it records.
import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '../storage/index.js';

export const HUB_ACTIONS = ['upstream-retry', 'upstream-close'] as const;
export type HubAction = (typeof HUB_ACTIONS)[number];

export interface HubActionRecord {
  readonly action: HubAction;
  readonly at: Date;
  readonly osUser: string;
  readonly patientId: string | null;
  /** What was acted on: ids, references and IT's own words (recorded as given). */
  readonly detail: { readonly entry: number; readonly resource: string; readonly reason?: string; readonly dependents?: number };
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
