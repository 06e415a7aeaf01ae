// Reading references: the id inside "Patient/123" (or an absolute URL ending in Patient/123), and
// which patient a resource belongs to, per resource type.
import type { Reference, Resource } from '@medplum/fhirtypes';
import { ID_PATTERN } from './primitives.js';
import type { SupportedResourceType } from './resource-types.js';

const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/**
 * "Patient/123" → "123" for type "Patient"; also "https://hub/fhir/Patient/123" and versioned
 * "Patient/123/_history/2". Anything else (another type, "#contained", "urn:uuid:…", a malformed
 * id) → undefined.
 */
export function referenceId(ref: string | undefined, type: string): string | undefined {
  if (ref === undefined || ref === '') return undefined;
  const parts = ref.split('/');
  if (parts.length >= 4 && parts[parts.length - 2] === '_history') parts.length -= 2;
  if (parts.length < 2) return undefined;
  const id = parts[parts.length - 1]!;
  if (parts[parts.length - 2] !== type || !ID_PATTERN.test(id)) return undefined;
  if (parts.length > 2 && !ABSOLUTE_URL.test(ref)) return undefined;
  return id;
}

function patientOf(ref: Reference | undefined): string | undefined {
  return referenceId(ref?.reference, 'Patient');
}

/**
 * The types whose records belong to one patient, besides the Patient itself: those whose patient
 * `patientIdOf` reads (its switch below; references.test.ts holds the two together). A record of
 * one of these types is in its patient's compartment: the hub keeps the patient on its row, also on
 * a deletion's tombstone, and judges a workstation's reference to one by it (server/fhir
 * held-references.ts).
 */
export const PATIENT_OWNED_TYPES = [
  'AllergyIntolerance',
  'Encounter',
  'Condition',
  'Observation',
  'MedicationRequest',
  'MedicationAdministration',
  'DocumentReference',
  'Flag',
  'Provenance',
  'AuditEvent',
] as const satisfies readonly SupportedResourceType[];

const patientOwned: ReadonlySet<string> = new Set(PATIENT_OWNED_TYPES);

/** True for a type whose records belong to one patient (PATIENT_OWNED_TYPES). */
export function isPatientOwnedType(type: string): boolean {
  return patientOwned.has(type);
}

/**
 * The id of the patient `resource` belongs to: a Patient's own id; the subject (or patient)
 * reference of clinical resources; a Provenance's first Patient target; an AuditEvent's first
 * entity whose `what` is a Patient. Undefined for resources that belong to no patient.
 */
export function patientIdOf(resource: Resource): string | undefined {
  switch (resource.resourceType) {
    case 'Patient':
      return resource.id;
    case 'AllergyIntolerance':
      return patientOf(resource.patient);
    case 'Encounter':
    case 'Condition':
    case 'Observation':
    case 'MedicationRequest':
    case 'MedicationAdministration':
    case 'DocumentReference':
    case 'Flag':
      return patientOf(resource.subject);
    case 'Provenance':
      for (const target of resource.target ?? []) {
        const id = patientOf(target);
        if (id !== undefined) return id;
      }
      return undefined;
    case 'AuditEvent':
      for (const entity of resource.entity ?? []) {
        const id = patientOf(entity.what);
        if (id !== undefined) return id;
      }
      return undefined;
    default:
      return undefined;
  }
}
