// What a medication administration carries and what the host answers when asked to check one: the
// dose given or held, the coded reasons (shared/medication-safety's lists, nothing else), the
// patient's confirmation by a second identifier, and the verdict of the five rights.
import { z } from 'zod';
import { ALLERGY_REASONS, codesOf, DOSE_REASONS, NOT_GIVEN_REASONS, TIMING_REASONS } from '../medication-safety/index.js';

export const patientConfirmationSchema = z.strictObject({
  /** scan: read from the wristband by a barcode scanner; typed: the MRN typed by the nurse. */
  method: z.enum(['scan', 'typed']),
  value: z.string().trim().min(1).max(80),
});

export const administrationReasonsSchema = z.strictObject({
  dose: z.enum(codesOf(DOSE_REASONS)).optional(),
  time: z.enum(codesOf(TIMING_REASONS)).optional(),
  allergy: z.enum(codesOf(ALLERGY_REASONS)).optional(),
});

/** A dose given or held (not-done, with a coded reason) against an active order (MedicationRequest id). */
export const administrationEntrySchema = z
  .strictObject({
    medicationRequestId: z.string().min(1).max(64),
    given: z.boolean(),
    effectiveAt: z.string().datetime({ offset: true }).optional(),
    scheduledAt: z.string().datetime({ offset: true }).optional(),
    dose: z.strictObject({ value: z.number().positive().max(100000), unit: z.string().trim().min(1).max(32) }).optional(),
    /** Why the dose was not given (FHIR statusReason). */
    notGivenReason: z.enum(codesOf(NOT_GIVEN_REASONS)).optional(),
    /** Free text beside the coded reasons (MedicationAdministration.note). */
    note: z.string().trim().min(1).max(500).optional(),
    reasons: administrationReasonsSchema.optional(),
    /** Required to record; the check channel answers without it. */
    patientConfirmation: patientConfirmationSchema.optional(),
  })
  .refine((v) => v.given || v.notGivenReason !== undefined, 'a held dose needs a reason');

export const administrationVerdictSchema = z.object({
  /** What refuses the dose whatever the reason (nothing is saved). */
  hardStops: z.array(z.object({ check: z.enum(['patient', 'dose', 'frequency']), code: z.string(), message: z.string() })),
  /** What needs a coded reason before the dose is saved. */
  reasonsNeeded: z.array(z.object({ check: z.enum(['dose', 'time', 'allergy']), message: z.string() })),
  timing: z.enum(['on-time', 'early', 'late', 'omitted', 'unscheduled']),
  allergyConflicts: z.array(z.object({ classId: z.string(), classLabel: z.string(), allergy: z.string() })),
  /** The window around the scheduled time the host judged by (the policy's medication.administrationWindowMinutes). */
  windowMinutes: z.number().positive().max(720),
});

export type AdministrationEntryData = z.infer<typeof administrationEntrySchema>;
export type AdministrationVerdictData = z.infer<typeof administrationVerdictSchema>;
