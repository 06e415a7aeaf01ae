// Each enrolled workstation's contact with the hub: its enrollment and every authenticated read (a
// GET: the census, histories, charts), whose answer could tell it what the hub knows. A push or a
// token request is not one: a workstation back from a downtime gets a token and pushes its outbox
// before it reads the census, and one whose connection drops in between has learned nothing.
// Cheap: `last_seen` on the device row is written at most once a minute, and when a device comes
// back after no contact for more than DEVICE_CONTACT_GAP_MINUTES, one row records the gap (from its
// last contact known to the read that ended it), kept LATE_DOCUMENTATION_DAYS. The write policy asks
// when a device could first have learned something the hub learned at a given time (that a patient
// left its ward): at its first contact after it (server/fhir/ward-stay.ts).
import type { SqlDatabase } from '../storage/index.js';
import { LATE_DOCUMENTATION_DAYS } from '../../shared/access/index.js';
import { toNumberOrNull } from './sql-values.js';

/** No contact for longer than this (a workstation syncs every 15 s while online) is a gap. */
export const DEVICE_CONTACT_GAP_MINUTES = 5;
/** `last_seen` is written at most this often per device (so it may be up to this much behind). */
const WRITE_EVERY_MS = 60_000;

/**
 * Notes a contact of `clientId` at `now`. `lastSeen`: the device row's `last_seen` as the caller
 * read it (undefined: read here); nothing is written when it is less than a minute old. The row is
 * compared and written in one transaction, so two requests together record one gap.
 */
export async function noteDeviceContact(db: SqlDatabase, clientId: string, now: Date, lastSeen?: number | null): Promise<void> {
  const at = now.getTime();
  if (lastSeen !== undefined && lastSeen !== null && at - lastSeen < WRITE_EVERY_MS) return;
  await db.transaction(async (tx) => {
    const rows = await tx.query<{ last_seen: unknown }>('SELECT last_seen FROM identity_devices WHERE client_id = $1', [clientId]);
    if (rows[0] === undefined) return;
    const seen = toNumberOrNull(rows[0].last_seen);
    if (seen !== null && at - seen < WRITE_EVERY_MS) return;
    await tx.execute('UPDATE identity_devices SET last_seen = $1 WHERE client_id = $2', [at, clientId]);
    if (seen !== null && at - seen > DEVICE_CONTACT_GAP_MINUTES * 60_000) {
      await tx.execute(
        'INSERT INTO identity_device_gaps (client_id, started_at, ended_at) VALUES ($1, $2, $3) ON CONFLICT (client_id, started_at) DO NOTHING',
        [clientId, seen, at],
      );
    }
  });
}

/**
 * When `clientId` could first have learned what the hub learned at `at` (ms): the end of its gap in
 * contact holding `at`, else `at` itself when it was in contact then, else (no contact recorded
 * since, e.g. a push back from a downtime, before the read of the census) `now`, the request asking.
 * A device enrolled before contact was recorded counts as in contact until its first recorded gap.
 * `last_seen` may be up to a minute behind the device's last read (written at most once a minute),
 * so a device counts as in contact until a minute after it: one that read just after `at` cannot
 * stretch its window by going silent. The cost: a device whose downtime began within that minute
 * before `at` is judged in contact at `at` (docs/SECURITY.md).
 */
export async function deviceLearnedAt(db: SqlDatabase, clientId: string, at: number, now: Date): Promise<number> {
  const gaps = await db.query<{ ended: unknown }>(
    'SELECT MIN(ended_at) AS ended FROM identity_device_gaps WHERE client_id = $1 AND started_at < $2 AND ended_at >= $3',
    [clientId, at - WRITE_EVERY_MS, at],
  );
  const ended = toNumberOrNull(gaps[0]?.ended);
  if (ended !== null) return ended;
  const rows = await db.query<{ last_seen: unknown }>('SELECT last_seen FROM identity_devices WHERE client_id = $1', [clientId]);
  const seen = toNumberOrNull(rows[0]?.last_seen);
  if (seen === null || seen + WRITE_EVERY_MS >= at) return at;
  return Math.max(at, now.getTime());
}

/** Deletes the gaps that ended more than LATE_DOCUMENTATION_DAYS ago (no departure the rule still judges falls in them). */
export async function purgeOldContactGaps(db: SqlDatabase, now: Date): Promise<number> {
  const { changes } = await db.execute('DELETE FROM identity_device_gaps WHERE ended_at < $1', [
    now.getTime() - LATE_DOCUMENTATION_DAYS * 86_400_000,
  ]);
  return changes;
}
