// Who first stored each piece of late documentation (fhir_late_uploads, migration fhir-0011): the
// device of the ward a patient left that created it, timed beyond the departure plus the grace
// (ward-stay.ts decides; write-policy.ts names the records, interactions-write.ts notes them once
// the request is judged). Only that path writes here, so the hot write paths pay nothing.
import type { SqlDatabase } from '../../storage/index.js';

/** A record, by type and id. */
export interface RecordRef {
  readonly type: string;
  readonly id: string;
}

/** Notes that `clientId` first stored `records` at `now`, in the caller's write transaction. */
export async function noteLateUploads(tx: SqlDatabase, clientId: string, records: readonly RecordRef[], now: Date): Promise<void> {
  for (const record of records) {
    await tx.execute(
      'INSERT INTO fhir_late_uploads (res_type, res_id, client_id, stored_at) VALUES ($1, $2, $3, $4) ON CONFLICT (res_type, res_id) DO NOTHING',
      [record.type, record.id, clientId, now.getTime()],
    );
  }
}

/** True when `clientId` first stored `type/id` as late documentation. */
export async function isLateUploadOf(db: SqlDatabase, type: string, id: string, clientId: string): Promise<boolean> {
  const rows = await db.query<{ client_id: string }>('SELECT client_id FROM fhir_late_uploads WHERE res_type = $1 AND res_id = $2', [
    type,
    id,
  ]);
  return rows[0]?.client_id === clientId;
}
