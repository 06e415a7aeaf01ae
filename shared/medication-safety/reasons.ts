// The coded reasons a nurse gives at an administration: why a dose differs from the order, why it
// was given outside its time window, why it was given despite an allergy in the same drug class,
// and why a dose was not given (FHIR MedicationAdministration.statusReason). One list each; the
// dialog offers them, the contract accepts only them, the host writes them into the resource.

/** CodeSystem of Wardline's administration reasons (one system; the codes are unique across lists). */
export const ADMINISTRATION_REASON_SYSTEM = 'urn:wardline:codesystem:administration-reason';

export interface CodedReason<C extends string = string> {
  readonly code: C;
  readonly label: string;
  /** The SNOMED CT concept, where one says the same thing. */
  readonly snomed?: { readonly code: string; readonly display: string };
}

export const DOSE_REASONS = [
  { code: 'prescriber-instructed-dose', label: 'Prescriber instructed this dose' },
  { code: 'partial-dose-taken', label: 'Patient took part of the dose' },
  { code: 'nearest-available-strength', label: 'Nearest dose the available strength allows' },
  { code: 'protocol-adjusted-dose', label: 'Dose adjusted per protocol (sliding scale, titration)' },
] as const satisfies readonly CodedReason[];

export const TIMING_REASONS = [
  { code: 'patient-unavailable', label: 'Patient was off the ward or unavailable' },
  { code: 'clinical-priority', label: 'Another clinical priority came first' },
  { code: 'prescriber-instructed-time', label: 'Prescriber instructed this time' },
  { code: 'supply-delay', label: 'Medication was not available in time' },
  { code: 'schedule-change', label: 'Dose times moved to a new schedule' },
] as const satisfies readonly CodedReason[];

export const ALLERGY_REASONS = [
  { code: 'prescriber-aware-of-allergy', label: 'Prescriber aware of the allergy and confirmed the order' },
  { code: 'tolerated-before', label: 'Patient has tolerated this drug before' },
  { code: 'allergy-reviewed-not-relevant', label: 'Allergy reviewed: not relevant to this drug' },
] as const satisfies readonly CodedReason[];

/** Why a dose was held or refused (status not-done). */
export const NOT_GIVEN_REASONS = [
  { code: 'patient-refused', label: 'Patient refused', snomed: { code: '182895007', display: 'Drug declined by patient' } },
  { code: 'nil-by-mouth', label: 'Nil by mouth' },
  { code: 'patient-off-ward', label: 'Patient off the ward' },
  { code: 'outside-parameters', label: 'Outside prescribed parameters (BP, heart rate, INR, glucose…)' },
  { code: 'held-on-clinical-review', label: 'Held on clinical review' },
  { code: 'medication-unavailable', label: 'Medication not available' },
  { code: 'patient-vomiting', label: 'Patient vomiting' },
] as const satisfies readonly CodedReason[];

export type DoseReasonCode = (typeof DOSE_REASONS)[number]['code'];
export type TimingReasonCode = (typeof TIMING_REASONS)[number]['code'];
export type AllergyReasonCode = (typeof ALLERGY_REASONS)[number]['code'];
export type NotGivenReasonCode = (typeof NOT_GIVEN_REASONS)[number]['code'];

/** The codes of a list, as a non-empty tuple (for z.enum). */
export function codesOf<C extends string>(reasons: readonly CodedReason<C>[]): [C, ...C[]] {
  return reasons.map((reason) => reason.code) as [C, ...C[]];
}

/** The reason with `code` in any list, or undefined. */
export function reasonFor(code: string): CodedReason | undefined {
  return [...DOSE_REASONS, ...TIMING_REASONS, ...ALLERGY_REASONS, ...NOT_GIVEN_REASONS].find((reason) => reason.code === code);
}
