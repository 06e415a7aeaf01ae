// Corrections of documentation already recorded: a patient's recent vital signs and medication
// administrations with the version the workstation holds, and correcting one (a vital sign's value,
// FHIR Observation status "corrected") or retracting one ("entered-in-error", for an Observation or
// a MedicationAdministration). Each needs a coded reason (the list below, nothing else) and is sent
// to the hub as an update with If-Match on the version the user saw; the hub keeps the history.
// A wrong dose is not edited in place: it is marked entered in error, and the right one is recorded
// again through the five rights (the administration dialog).
import { z } from 'zod';
import { channelTable, defineChannel } from './channel.js';
import { patientIdSchema, viewRefreshSchema } from './chart-channels.js';

/** Why a record is corrected or retracted: the one list (the host writes the code to the audit trail). */
export const AMENDMENT_REASONS = [
  { code: 'wrong-value', label: 'Wrong value typed' },
  { code: 'wrong-patient', label: 'Documented on the wrong patient' },
  { code: 'wrong-time', label: 'Wrong time recorded' },
  { code: 'duplicate', label: 'Documented twice' },
  { code: 'not-done', label: 'Not actually measured or given' },
  { code: 'wrong-medication-or-dose', label: 'Wrong medication or dose recorded' },
  { code: 'other', label: 'Other (explain in the note)' },
] as const;
export type AmendmentReason = (typeof AMENDMENT_REASONS)[number]['code'];
const AMENDMENT_REASON_CODES = AMENDMENT_REASONS.map((r) => r.code) as [AmendmentReason, ...AmendmentReason[]];

/** The label shown for a reason code. */
export function amendmentReasonLabel(code: string): string {
  return AMENDMENT_REASONS.find((r) => r.code === code)?.label ?? code;
}

/** The resource types a clinician may correct or retract from a workstation. */
export const AMENDABLE_TYPES = ['Observation', 'MedicationAdministration'] as const;
export type AmendableType = (typeof AMENDABLE_TYPES)[number];

/** One recorded entry as the correction list shows it. */
export const recordedEntrySchema = z.object({
  resourceType: z.enum(AMENDABLE_TYPES),
  id: z.string(),
  /** The version this workstation holds (sent back as If-Match); null while only local. */
  versionId: z.string().nullable(),
  /** What it is: "Heart rate", "Metformin 500 mg tablet". */
  label: z.string(),
  /** The value as recorded: "72 /min", "120/80 mmHg", "500 mg". */
  value: z.string().nullable(),
  /** Observation.effectiveDateTime / MedicationAdministration.effectiveDateTime. */
  time: z.string().nullable(),
  /** FHIR status as held (final, corrected, amended, entered-in-error, completed, not-done...). */
  status: z.string(),
  /** The notes on the record (corrections say what was there before and why). */
  notes: z.array(z.string()),
  /** Who recorded it (display or reference), when known. */
  recordedBy: z.string().nullable(),
  /** What this entry can still be: corrected in value (a single-valued vital sign or blood pressure), retracted. */
  canCorrect: z.boolean(),
  canRetract: z.boolean(),
  /** The field names a correction takes: ["value"] or ["systolic", "diastolic"]; empty when it cannot be corrected. */
  fields: z.array(z.enum(['value', 'systolic', 'diastolic'])),
});
export type RecordedEntryData = z.infer<typeof recordedEntrySchema>;

const entryRef = {
  patientId: patientIdSchema,
  resourceType: z.enum(AMENDABLE_TYPES),
  id: z.string().min(1).max(64),
  /** The version the user saw (If-Match); null for an entry not yet held by the hub. */
  versionId: z.string().min(1).max(32).nullable(),
  reason: z.enum(AMENDMENT_REASON_CODES),
  /** Free text beside the coded reason (kept in the record's note, never in the audit trail); needed for "other". */
  note: z.string().trim().min(1).max(500).optional(),
};

export const amendmentRequestSchema = z.union([
  z.strictObject({ ...entryRef, action: z.literal('entered-in-error') }),
  z.strictObject({
    ...entryRef,
    action: z.literal('correct'),
    /** The corrected value(s): `value` for a single-valued vital sign, `systolic` and `diastolic` for blood pressure. */
    values: z.strictObject({
      value: z.number().finite().optional(),
      systolic: z.number().finite().optional(),
      diastolic: z.number().finite().optional(),
    }),
  }),
]);
export type AmendmentRequestData = z.infer<typeof amendmentRequestSchema>;

export const AMENDMENT_CHANNELS = channelTable([
  defineChannel({
    name: 'chart:recorded-entries',
    summary:
      "one patient's vital signs and medication administrations of a time window, newest first, with the version held and what each may still be (corrected, retracted)",
    permission: 'chart:read',
    request: z.strictObject({
      patientId: patientIdSchema,
      from: z.string().datetime({ offset: true }),
      to: z.string().datetime({ offset: true }),
      refresh: viewRefreshSchema,
    }),
    response: z.array(recordedEntrySchema),
  }),
  defineChannel({
    name: 'chart:amend',
    summary:
      'correct a vital sign, or mark a vital sign or a medication administration "entered in error", with a coded reason (sent to the hub with If-Match on the version seen; audited)',
    permission: 'chart:read',
    request: amendmentRequestSchema,
    response: z.object({ entryId: z.string(), status: z.literal('pending-upload') }),
  }),
]);
