// How the checks of an administration are written into its MedicationAdministration: the coded
// not-given reason (statusReason, with SNOMED CT where one says the same), the timing mark, each
// reason given for a deviation, and how the patient was confirmed (shared/medication-safety's
// extensions), so the hub, the MAR and an auditor read them back.
import type { CodeableConcept, Extension } from '../../shared/fhir/index.js';
import { SNOMED_SYSTEM } from '../../shared/fhir/index.js';
import {
  ADMINISTRATION_REASON_EXTENSION_URL,
  ADMINISTRATION_REASON_SYSTEM,
  ADMINISTRATION_TIMING_EXTENSION_URL,
  NOT_GIVEN_REASONS,
  PATIENT_CONFIRMATION_EXTENSION_URL,
  reasonFor,
  type ConfirmationMethod,
  type ReasonCheck,
  type TimingMark,
} from '../../shared/medication-safety/index.js';

export function notGivenStatusReason(code: string): CodeableConcept {
  const reason = NOT_GIVEN_REASONS.find((r) => r.code === code);
  if (reason === undefined) return { text: code };
  const snomed = 'snomed' in reason ? [{ system: SNOMED_SYSTEM, code: reason.snomed.code, display: reason.snomed.display }] : [];
  return { coding: [{ system: ADMINISTRATION_REASON_SYSTEM, code: reason.code, display: reason.label }, ...snomed], text: reason.label };
}

export function administrationCheckExtensions(checks: {
  timing: TimingMark;
  reasons: Partial<Record<ReasonCheck, string>>;
  confirmation: ConfirmationMethod | null;
}): Extension[] {
  const extensions: Extension[] = [];
  if (checks.timing !== 'unscheduled') extensions.push({ url: ADMINISTRATION_TIMING_EXTENSION_URL, valueCode: checks.timing });
  for (const [check, code] of Object.entries(checks.reasons)) {
    const reason = code === undefined ? undefined : reasonFor(code);
    if (reason === undefined) continue;
    extensions.push({
      url: ADMINISTRATION_REASON_EXTENSION_URL,
      extension: [
        { url: 'check', valueCode: check },
        { url: 'reason', valueCoding: { system: ADMINISTRATION_REASON_SYSTEM, code: reason.code, display: reason.label } },
      ],
    });
  }
  if (checks.confirmation !== null) extensions.push({ url: PATIENT_CONFIRMATION_EXTENSION_URL, valueCode: checks.confirmation });
  return extensions;
}
