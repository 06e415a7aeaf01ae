// Small, hand-made synthetic records for hub tests: a ward Location, beds, patients admitted with an
// in-progress Encounter (ward + bed), observations. Written straight into the hub's store, as the
// hospital's EHR feed would, so tests start from a known ward. Names are invented.
import { randomUUID } from 'node:crypto';
import type { Encounter, Observation, Patient, Resource } from '../../shared/fhir/index.js';
import { deleteResources, importResources, putResources } from '../../server/fhir/index.js';
import type { SqlDatabase } from '../../server/storage/index.js';

export const TEST_IDENTIFIER_SYSTEM = 'urn:wardline:test:client-id';

export function wardLocation(ward: string): Resource {
  return {
    resourceType: 'Location',
    id: `ward-${ward}`,
    status: 'active',
    name: `Ward ${ward.toUpperCase()}`,
    mode: 'instance',
  } as Resource;
}

export function bedLocation(ward: string, bed: number): Resource {
  return {
    resourceType: 'Location',
    id: `bed-${ward}-${bed}`,
    status: 'active',
    name: `Bed ${bed}`,
    mode: 'instance',
    partOf: { reference: `Location/ward-${ward}` },
  } as Resource;
}

export function patient(id: string, family = 'Testperson'): Patient {
  return {
    resourceType: 'Patient',
    id,
    identifier: [
      {
        system: 'urn:wardline:mrn',
        value: `MRN${id
          .replace(/[^0-9]/g, '')
          .padStart(7, '0')
          .slice(-7)}`,
      },
    ],
    name: [{ family, given: ['Alex'] }],
    gender: 'unknown',
    birthDate: '1950-01-01',
  };
}

export function encounter(id: string, patientId: string, ward: string, status: Encounter['status'] = 'in-progress', bed = 1): Encounter {
  return {
    resourceType: 'Encounter',
    id,
    status,
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    subject: { reference: `Patient/${patientId}` },
    period: { start: '2024-01-01T08:00:00Z' },
    location: [{ location: { reference: `Location/ward-${ward}` } }, { location: { reference: `Location/bed-${ward}-${bed}` } }],
  };
}

export function observation(patientId: string, options: { id?: string; identifier?: string; value?: number } = {}): Observation {
  return {
    resourceType: 'Observation',
    ...(options.id ? { id: options.id } : {}),
    ...(options.identifier ? { identifier: [{ system: TEST_IDENTIFIER_SYSTEM, value: options.identifier }] } : {}),
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: '2024-01-02T10:00:00Z',
    valueQuantity: { value: options.value ?? 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

export interface AdmittedPatient {
  readonly patientId: string;
  readonly encounterId: string;
}

/** Writes the ward's Locations (ward + 4 beds) if missing. */
export async function seedWard(db: SqlDatabase, ward: string): Promise<void> {
  await importResources(db, [wardLocation(ward), ...[1, 2, 3, 4].map((bed) => bedLocation(ward, bed))], new Date());
}

/** A new patient with an Encounter at the ward (in progress unless told otherwise). */
export async function admitPatient(
  db: SqlDatabase,
  ward: string,
  options: { status?: Encounter['status']; family?: string; extra?: (patientId: string) => Resource[] } = {},
): Promise<AdmittedPatient> {
  const patientId = `p-${randomUUID()}`;
  const encounterId = `e-${randomUUID()}`;
  await importResources(
    db,
    [
      patient(patientId, options.family),
      encounter(encounterId, patientId, ward, options.status ?? 'in-progress'),
      ...(options.extra?.(patientId) ?? []),
    ],
    new Date(),
  );
  return { patientId, encounterId };
}

/** A new version of each resource, written as the hospital's feed would (no access checks). */
export async function feedResources(db: SqlDatabase, resources: readonly Resource[]): Promise<void> {
  await putResources(db, resources, new Date());
}

/** Deletes resources as the hospital's feed would (no access checks). */
export async function feedDeletions(db: SqlDatabase, targets: readonly { type: string; id: string }[]): Promise<void> {
  await deleteResources(db, targets, new Date());
}

/**
 * A workstation's outbox upload, as the device sends it alone (no user signed in): a transaction of
 * the new resources (conditional creates on their client id) and the Provenance naming who recorded
 * them and when (author Practitioner/{userId}).
 */
export function outboxUpload(resources: readonly Resource[], author: { userId: string; recorded: string }): Record<string, unknown> {
  const entries = resources.map((resource) => {
    const id = randomUUID();
    return {
      urn: `urn:uuid:${id}`,
      entry: {
        fullUrl: `urn:uuid:${id}`,
        resource: { ...resource, identifier: [{ system: TEST_IDENTIFIER_SYSTEM, value: id }] },
        request: { method: 'POST', url: resource.resourceType, ifNoneExist: `identifier=${TEST_IDENTIFIER_SYSTEM}|${id}` },
      },
    };
  });
  const patientId = resources.map((resource) => (resource as { subject?: { reference?: string } }).subject?.reference).find(Boolean);
  const provenanceId = randomUUID();
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      ...entries.map((e) => e.entry),
      {
        fullUrl: `Provenance/${provenanceId}`,
        resource: {
          resourceType: 'Provenance',
          id: provenanceId,
          target: [...entries.map((e) => ({ reference: e.urn })), ...(patientId ? [{ reference: patientId }] : [])],
          recorded: author.recorded,
          agent: [
            {
              type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author' }] },
              who: { reference: `Practitioner/${author.userId}` },
            },
          ],
        },
        request: { method: 'PUT', url: `Provenance/${provenanceId}` },
      },
    ],
  };
}
