// How a MedicationAdministration records its checks: the timing mark (on-time, early, late,
// omitted), each reason given for a deviation (check + coded reason), and how the patient was
// confirmed (scan or typed). Extensions on the resource, so the hub and the MAR read them back.

/** valueCode: a TimingMark. */
export const ADMINISTRATION_TIMING_EXTENSION_URL = 'urn:wardline:extension:administration-timing';
/** Complex: `check` (valueCode dose | time | allergy) and `reason` (valueCoding, ADMINISTRATION_REASON_SYSTEM). */
export const ADMINISTRATION_REASON_EXTENSION_URL = 'urn:wardline:extension:administration-reason';
/** valueCode: scan | typed. */
export const PATIENT_CONFIRMATION_EXTENSION_URL = 'urn:wardline:extension:patient-confirmation';
