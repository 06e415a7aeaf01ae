// The FHIR resource types Wardline exchanges with the hub and keeps in the vault.

export const SUPPORTED_RESOURCE_TYPES = [
  'Patient',
  'Encounter',
  'Location',
  'Practitioner',
  'AllergyIntolerance',
  'Condition',
  'MedicationRequest',
  'MedicationAdministration',
  'Observation',
  'DocumentReference',
  'Flag',
  'Provenance',
  'AuditEvent',
] as const;

export type SupportedResourceType = (typeof SUPPORTED_RESOURCE_TYPES)[number];

const supported: ReadonlySet<string> = new Set(SUPPORTED_RESOURCE_TYPES);

export function isSupportedResourceType(t: string): t is SupportedResourceType {
  return supported.has(t);
}
