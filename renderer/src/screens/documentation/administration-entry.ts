// The "Record administration" form's own check, before the host is asked: the patient confirmed by
// the chart's MRN (scanned or typed), Given needs a dose (value and unit), Held or refused needs a
// coded reason; the time defaults to now (left empty for a dose not yet due) and may not be in the future. Produces what
// chart:check-administration and chart:record-administration take; the host then checks the five
// rights (shared/medication-safety) and says what stops the dose or needs a reason.
import { administrationEntrySchema, type AdministrationEntryData } from '../../../../shared/contract/index.js';
import { localInputValue } from '../../../../shared/display/index.js';
import { confirmsPatient, type PatientConfirmation, type ReasonCheck } from '../../../../shared/medication-safety/index.js';

export interface AdministrationInput {
  readonly medicationRequestId: string;
  readonly outcome: 'given' | 'held';
  readonly doseValue: number | null;
  readonly doseUnit: string;
  /** The coded reason a dose was held or refused (NOT_GIVEN_REASONS), or null. */
  readonly notGivenReason: string | null;
  readonly note: string;
  readonly effectiveAt: Date | null;
  /** The scheduled time of the dose, when recorded from a MAR slot. */
  readonly scheduledAt: string | null;
  /** The wristband scan or typed MRN, or null when not confirmed yet. */
  readonly confirmation: PatientConfirmation | null;
  /** The chart's MRN the confirmation must match. */
  readonly chartMrn: string | null;
  /** Coded reasons chosen for what the host asked. */
  readonly reasons: Partial<Record<ReasonCheck, string>>;
}

export type AdministrationField = 'confirmation' | 'dose' | 'doseUnit' | 'reason' | 'note' | 'time';

export type AdministrationCheck =
  | { readonly ok: true; readonly entry: AdministrationEntryData }
  | { readonly ok: false; readonly fieldErrors: Partial<Record<AdministrationField, string>> };

const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * What the time field starts at: now, for an as-needed dose or a scheduled dose that is due
 * (its time has come, or comes within the administration window). A dose further ahead (later
 * today, tomorrow) starts empty: the nurse types when it was given, and the time check applies.
 * `windowMinutes` is the window the host enforces (its check's answer), never a copy of its own.
 */
export function initialAdministrationTime(scheduledAt: string | null, now: Date, windowMinutes: number): string {
  if (scheduledAt === null) return localInputValue(now);
  const scheduledMs = Date.parse(scheduledAt);
  const dueSoon = !Number.isNaN(scheduledMs) && scheduledMs - now.getTime() <= windowMinutes * 60_000;
  return dueSoon ? localInputValue(now) : '';
}

export function checkAdministration(input: AdministrationInput, now: Date): AdministrationCheck {
  const fieldErrors: Partial<Record<AdministrationField, string>> = {};
  if (input.confirmation === null) fieldErrors.confirmation = 'Scan the wristband or type the MRN to confirm the patient.';
  else if (!confirmsPatient(input.confirmation, input.chartMrn)) {
    fieldErrors.confirmation = "This does not match this chart's MRN. Check you are with the right patient.";
  }
  const at = input.effectiveAt ?? now;
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) fieldErrors.time = 'The time is in the future. Check the date and time.';
  const entry: Record<string, unknown> = {
    medicationRequestId: input.medicationRequestId,
    given: input.outcome === 'given',
    effectiveAt: at.toISOString(),
  };
  if (input.confirmation !== null) entry.patientConfirmation = input.confirmation;
  if (input.scheduledAt !== null) {
    const scheduled = new Date(input.scheduledAt);
    if (!Number.isNaN(scheduled.getTime())) entry.scheduledAt = scheduled.toISOString();
  }
  if (input.outcome === 'given') {
    if (input.doseValue === null || Number.isNaN(input.doseValue)) fieldErrors.dose = 'Enter the dose given.';
    else if (input.doseValue <= 0 || input.doseValue > 100000) fieldErrors.dose = 'The dose must be more than 0 and at most 100000.';
    const unit = input.doseUnit.trim();
    if (unit.length === 0) fieldErrors.doseUnit = 'Enter the unit of the dose (for example mg).';
    else if (unit.length > 32) fieldErrors.doseUnit = 'The unit is too long (32 characters at most).';
    if (fieldErrors.dose === undefined && fieldErrors.doseUnit === undefined) entry.dose = { value: input.doseValue, unit };
    const reasons = Object.fromEntries(Object.entries(input.reasons).filter(([, code]) => code !== undefined));
    if (Object.keys(reasons).length > 0) entry.reasons = reasons;
  } else if (input.notGivenReason === null) fieldErrors.reason = 'Choose why the dose was not given.';
  else entry.notGivenReason = input.notGivenReason;
  const note = input.note.trim();
  if (note.length > 500) fieldErrors.note = 'The note is too long (500 characters at most).';
  else if (note.length > 0) entry.note = note;
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const parsed = administrationEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, fieldErrors: { dose: 'This cannot be saved. Check each field.' } };
  return { ok: true, entry: parsed.data };
}
