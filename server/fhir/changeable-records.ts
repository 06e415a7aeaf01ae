// Which stored records a workstation may change: one rule for the write side (interactions-write.ts:
// an update is refused before its If-Match is compared, and a 412 names a version, only for such a
// record; a conditional create counts only such matches, of a patient who left only those it may read)
// and for the one read it grants beyond the ward's chart (interactions-read.ts: the ward a patient
// left reads the current version of a record it may still change, so its conflict on that record is
// not settled blind).
import { documentActionOf, type CategorisedResource } from '../../shared/access/index.js';
import type { Resource } from '../../shared/fhir/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { isInScope, type Access } from './access-policy.js';
import { lateWindowOf } from './ward-stay.js';
import { contentText, wardLocationRef, type StoredResource } from './store/index.js';

async function isOnDevicesWard(tx: SqlDatabase, access: Access, patientId: string): Promise<boolean> {
  const principal = access.principal!;
  return isInScope(tx, { ...access, scope: { kind: 'ward', wardRef: wardLocationRef(principal.device.ward) } }, patientId);
}

/**
 * Whether the caller could change this record: of a patient of its device's ward now, or, within the
 * late window, of one who left it, documenting the time they were there as this device could know it
 * (ward-stay.ts, the same rule as the write judge's: beyond the departure plus the grace, only what
 * this device stored itself). A Provenance of such a patient passes on the ward check alone: the
 * write policy takes one only re-sent as stored, with the documentation it covers, which the stay
 * rule judges (a retry of a delivered upload, its answer lost, however long after the reading it was
 * charted); a conditional create never matches one (mayMatchRecord).
 */
export async function mayChangeRecord(tx: SqlDatabase, access: Access, stored: StoredResource, now: Date): Promise<boolean> {
  const principal = access.principal;
  const patientId = stored.patientId;
  if (principal === null) return true;
  if (patientId === null) return false;
  if (await isOnDevicesWard(tx, access, patientId)) return true;
  const late = await lateWindowOf(tx, principal.device, patientId, now);
  if (late === null) return false;
  if (stored.type === 'Provenance') return true;
  const text = stored.deleted ? null : contentText(stored);
  return text !== null && (await late.mayChange(tx, JSON.parse(text) as Resource, stored));
}

/**
 * Whether a conditional create may count this record as its match: one the caller may change, and, of
 * a patient who left the device's ward, only what it may read to change (mayReadToChange: its
 * documentation of the stay and its own late uploads; not a lab result nor a Provenance, which the
 * workstation sends by id, never conditionally). A match is answered with the record's content, and
 * anything else would tell the ward a patient left what the hub holds of them since.
 */
export async function mayMatchRecord(tx: SqlDatabase, access: Access, stored: StoredResource, now: Date): Promise<boolean> {
  if (access.principal === null || stored.patientId === null) return mayChangeRecord(tx, access, stored, now);
  if (await isOnDevicesWard(tx, access, stored.patientId)) return true;
  return mayReadToChange(tx, access, stored, now);
}

/**
 * Whether the caller may read this record although its patient is no longer in its scope: documentation
 * a workstation writes (a vital sign, a dose, a note; not a lab result, an order or a Provenance, which
 * no workstation changes) that it may still change (mayChangeRecord): the version a 412 named, so that
 * its conflict is settled on what the hub holds. Nothing else of the chart is read this way.
 */
export async function mayReadToChange(tx: SqlDatabase, access: Access, stored: StoredResource, now: Date): Promise<boolean> {
  const text = stored.deleted ? null : contentText(stored);
  if (text === null || documentActionOf(JSON.parse(text) as CategorisedResource) === null) return false;
  return mayChangeRecord(tx, access, stored, now);
}
