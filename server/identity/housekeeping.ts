// Deletes what can no longer be used: seen assertion ids past their expiry, refresh tokens and
// enrollment tokens a week past theirs (kept that long for incident review), devices' gaps in contact
// older than the late documentation window (device-contact.ts).
import type { SqlDatabase } from '../storage/index.js';
import { purgeOldContactGaps } from './device-contact.js';

const KEEP_SPENT_MS = 7 * 24 * 3_600_000;

export async function purgeExpiredIdentityRows(db: SqlDatabase, now: Date): Promise<number> {
  const at = now.getTime();
  const jtis = await db.execute('DELETE FROM identity_assertion_jtis WHERE expires_at < $1', [at]);
  const refresh = await db.execute('DELETE FROM identity_refresh_tokens WHERE expires_at < $1', [at - KEEP_SPENT_MS]);
  const enrollment = await db.execute('DELETE FROM identity_enrollment_tokens WHERE expires_at < $1', [at - KEEP_SPENT_MS]);
  const gaps = await purgeOldContactGaps(db, now);
  return jtis.changes + refresh.changes + enrollment.changes + gaps;
}
