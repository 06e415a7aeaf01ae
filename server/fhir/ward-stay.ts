// Late documentation from a ward a patient left (write-policy.ts, interactions-write.ts): a device may
// still send documentation of the time the patient was on its ward (downtime entries uploaded after a
// transfer or discharge, their corrections and conflicts), for LATE_DOCUMENTATION_DAYS, and nothing
// of the time after it could know. The departure is when the hub learned the patient left the ward
// (the last Encounter version listing it); the device could first have learned it at its first
// contact with the hub after that (device-contact.ts: the end of its gap in contact holding the
// departure, or the departure itself when it was in contact). A record's time (a reading's or a dose's
// effective time, a note's date) must be no later than that plus LATE_DOCUMENTATION_GRACE_MINUTES (the
// ADT message and the bedside rarely agree to the minute). So a workstation in downtime at the
// transfer, whose nurse went on documenting at the bedside, delivers all of it when it reconnects,
// and a ward in contact can no longer document after the transfer.
// A change (and a conditional create's match, and the read of a record to change) must also be of a
// record of the stay: one timed before the departure plus the grace, or, beyond it, one this device
// first stored (its own late uploads, noted in fhir_late_uploads when created: store/late-uploads.ts).
// So the ward a patient left can neither document after it learned of the transfer nor match, read
// or change anything the new ward documented after the transfer plus the grace.
import type { Resource } from '../../shared/fhir/index.js';
import { LATE_DOCUMENTATION_DAYS } from '../../shared/access/index.js';
import { deviceLearnedAt, type DevicePrincipal } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { isLateUploadOf, wardLocationRef, wardStayEndStamp, type StoredResource } from './store/index.js';

/** How long after a device could have learned a patient left its ward that ward's documentation may still be timed. */
export const LATE_DOCUMENTATION_GRACE_MINUTES = 60;
const GRACE_MS = LATE_DOCUMENTATION_GRACE_MINUTES * 60_000;

function instant(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : null;
}

/** When the documentation says it happened (ms): its effective time (start of a period), a note's date. */
export function documentationTimeOf(resource: Resource): number | null {
  const fields = resource as unknown as Record<string, unknown>;
  if (resource.resourceType === 'DocumentReference') return instant(fields.date);
  const period = fields.effectivePeriod as { start?: unknown } | undefined;
  return instant(fields.effectiveDateTime) ?? instant(fields.effectiveInstant) ?? instant(period?.start);
}

/** What one device may still send about a patient who left its ward. */
export class LateWindow {
  constructor(
    /** The device (its client id). */
    readonly deviceId: string,
    /** When the hub learned the patient left the ward (ms). */
    readonly departedAt: number,
    /** When this device could first have learned it (ms, at or after departedAt). */
    readonly learnedAt: number,
  ) {}

  /** True when `resource` (new documentation, or a version written) is timed within the window. */
  documents(resource: Resource): boolean {
    const at = documentationTimeOf(resource);
    return at !== null && at <= this.learnedAt + GRACE_MS;
  }

  /** True when new documentation is timed beyond the hub's own window: its creator is noted (store/late-uploads.ts). */
  isBeyondStay(resource: Resource): boolean {
    const at = documentationTimeOf(resource);
    return at !== null && at > this.departedAt + GRACE_MS;
  }

  /**
   * True when the device may change the record whose version the hub holds is `held` (`stored`):
   * timed within the hub's own window, or within the device's and first stored by this device.
   */
  async mayChange(tx: SqlDatabase, held: Resource, stored: StoredResource): Promise<boolean> {
    const at = documentationTimeOf(held);
    if (at === null || at > this.learnedAt + GRACE_MS) return false;
    if (at <= this.departedAt + GRACE_MS) return true;
    return isLateUploadOf(tx, stored.type, stored.id, this.deviceId);
  }
}

/**
 * For a patient not on the device's ward now: the window of what it may still send, when the
 * patient left its ward within LATE_DOCUMENTATION_DAYS; null otherwise (nothing).
 */
export async function lateWindowOf(tx: SqlDatabase, device: DevicePrincipal, patientId: string, now: Date): Promise<LateWindow | null> {
  const since = (now.getTime() - LATE_DOCUMENTATION_DAYS * 86_400_000) * 1000;
  const leftAt = await wardStayEndStamp(tx, patientId, wardLocationRef(device.ward), since);
  if (leftAt === null) return null;
  const departedAt = leftAt / 1000;
  return new LateWindow(device.deviceId, departedAt, await deviceLearnedAt(tx, device.deviceId, departedAt, now));
}
