// When each workstation was last in contact with the hub (`last_seen`, written at most once a minute)
// and the gaps in its contact (no read for more than DEVICE_CONTACT_GAP_MINUTES),
// so the write policy can tell when a device could first have learned that a patient left its ward
// (device-contact.ts). Devices enrolled before start with no contact known: their first request
// records it, with no gap (their earlier contact is unknown, so judged as in contact).
import type { HubMigration, SqlDatabase } from '../../storage/index.js';

export const deviceContactMigration: HubMigration = {
  id: 'identity-0005-device-contact',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute('ALTER TABLE identity_devices ADD COLUMN last_seen BIGINT');
    await db.execute(`CREATE TABLE identity_device_gaps (
       client_id TEXT NOT NULL,
       started_at BIGINT NOT NULL,
       ended_at BIGINT NOT NULL,
       PRIMARY KEY (client_id, started_at)
     )`);
    await db.execute('CREATE INDEX identity_device_gaps_by_end ON identity_device_gaps (ended_at)');
  },
};
