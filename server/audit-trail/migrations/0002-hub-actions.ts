// The hub's record of what IT did from the hub's command line to documentation (audit_hub_actions:
// `wardline-hub upstream retry|close`): when, which action, the operating-system account that ran
// it, the patient the documentation is about (an id), the resource version and IT's reason. Paged
// by (time, id) like every source of the trail.
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

export const hubActionsMigration: HubMigration = {
  id: 'audit-trail-0002-hub-actions',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute(`CREATE TABLE audit_hub_actions (
       id TEXT PRIMARY KEY,
       at BIGINT NOT NULL,
       action TEXT NOT NULL,
       os_user TEXT NOT NULL,
       patient_id TEXT,
       detail TEXT NOT NULL
     )`);
    await db.execute('CREATE INDEX audit_hub_actions_page ON audit_hub_actions (at, id)');
  },
};
