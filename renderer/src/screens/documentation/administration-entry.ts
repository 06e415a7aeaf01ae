// The "Record administration" form's check: Given needs a dose (value and unit), Held needs a
// reason; the time defaults to now and may not be in the future. Produces what
// chart:record-administration takes.
import { administrationEntrySchema, type AdministrationEntryData } from '../../../../shared/contract/index.js';

export interface AdministrationInput {
  readonly medicationRequestId: string;
  readonly outcome: 'given' | 'held';
  readonly doseValue: number | null;
  readonly doseUnit: string;
  readonly reason: string;
  readonly effectiveAt: Date | null;
  /** The scheduled time of the dose, when recorded from a MAR slot. */
  readonly scheduledAt: string | null;
}

export type AdministrationField = 'dose' | 'doseUnit' | 'reason' | 'time';

export type AdministrationCheck =
  | { readonly ok: true; readonly entry: AdministrationEntryData }
  | { readonly ok: false; readonly fieldErrors: Partial<Record<AdministrationField, string>> };

const FUTURE_TOLERANCE_MS = 5 * 60_000;

export function checkAdministration(input: AdministrationInput, now: Date): AdministrationCheck {
  const fieldErrors: Partial<Record<AdministrationField, string>> = {};
  const at = input.effectiveAt ?? now;
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) fieldErrors.time = 'The time is in the future. Check the date and time.';
  const entry: Record<string, unknown> = {
    medicationRequestId: input.medicationRequestId,
    given: input.outcome === 'given',
    effectiveAt: at.toISOString(),
  };
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
  } else {
    const reason = input.reason.trim();
    if (reason.length === 0) fieldErrors.reason = 'Give the reason the dose was held.';
    else if (reason.length > 500) fieldErrors.reason = 'The reason is too long (500 characters at most).';
    else entry.notGivenReason = reason;
  }
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const parsed = administrationEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, fieldErrors: { dose: 'This cannot be saved. Check each field.' } };
  return { ok: true, entry: parsed.data };
}
