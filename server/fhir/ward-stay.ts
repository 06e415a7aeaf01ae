// Late documentation from a ward a patient left (write-policy.ts, interactions-write.ts): a device may
// still send documentation of the time the patient was on its ward (downtime entries uploaded after a
// transfer or discharge, their corrections and conflicts), for LATE_DOCUMENTATION_DAYS, and nothing
// of the time after. A record's time (a reading's or a dose's effective time, a note's date) must be
// no later than when the hub learned the patient left the ward (the last Encounter version listing it)
// plus LATE_DOCUMENTATION_GRACE_MINUTES (the ADT message and the bedside rarely agree to the minute);
// a change must also be of a record of that time. So the ward a patient left can neither document
// after the transfer nor change (retract, correct) what the new ward documented.
import type { Resource } from '../../shared/fhir/index.js';

/** How long after the hub learned a patient left a ward that ward's documentation may still be timed. */
export const LATE_DOCUMENTATION_GRACE_MINUTES = 60;

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

/** True when `resource` documents the time the patient was still on the ward they left at `leftAtStamp` (µs). */
export function documentedDuringStay(resource: Resource, leftAtStamp: number): boolean {
  const at = documentationTimeOf(resource);
  return at !== null && at <= leftAtStamp / 1000 + LATE_DOCUMENTATION_GRACE_MINUTES * 60_000;
}
