// The resource types a workstation syncs: the clinical ones (a patient's compartment, loaded with
// $everything and kept current through history) and the reference data every device may read.

export const CLINICAL_TYPES = [
  'Patient',
  'Encounter',
  'AllergyIntolerance',
  'Condition',
  'MedicationRequest',
  'MedicationAdministration',
  'Observation',
  'DocumentReference',
  'Flag',
  'Provenance',
] as const;

export const REFERENCE_TYPES = ['Location', 'Practitioner'] as const;

export const SYNCED_TYPES: readonly string[] = [...CLINICAL_TYPES, ...REFERENCE_TYPES];
