// Why the hub served each read of hub_access_log beyond the caller's scope: 'break-the-glass' (a
// user's reason, the rows before this migration) or 'late-documentation' (the device of the ward a
// patient left reading the current version of a record it may still change, access-policy.ts).
import type { SqlDatabase } from '../../../storage/index.js';

export const accessBasisMigration = {
  id: 'fhir-0010-access-basis',
  async up(db: SqlDatabase): Promise<void> {
    await db.execute("ALTER TABLE hub_access_log ADD COLUMN basis TEXT NOT NULL DEFAULT 'break-the-glass'");
  },
};
