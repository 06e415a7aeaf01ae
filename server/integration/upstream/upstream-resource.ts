// An upstream resource as the hub stores it: the same id (references inside the chart keep
// working), meta.source naming the upstream version it came from (`{base}/{Type}/{id}/_history/{vid}`,
// so a re-pull of the same version writes nothing and a newer one is a new hub version), only the
// standard meta the hub keeps (profile, security labels, tags), and an Encounter at a mapped
// upstream Location also placed at the hub's ward Location, and a Patient given the hub's MRN
// identifier from the EHR's MRN (so the ADT feed and workstations find it by MRN), and an Encounter
// numbered in a mapped visit-number system given the ADT feed's visit number (so the feed finds it).
import { isSupportedResourceType, MRN_SYSTEM, type Encounter, type Patient, type Resource } from '../../../shared/fhir/index.js';
import { derivedVisitNumber } from '../adt/visit-match.js';
import type { UpstreamVisitSystem, UpstreamWard } from './upstream-config.js';

/**
 * The resource types of a chart the mirror pulls, and the R4 search parameter naming the patient:
 * `subject` where the type has it (a plain path, cheap for any server to match), `patient` for
 * AllergyIntolerance (which has no `subject`).
 */
export const MIRRORED_TYPES: readonly { readonly type: string; readonly patientParam: string }[] = [
  { type: 'Patient', patientParam: '_id' },
  { type: 'Encounter', patientParam: 'subject' },
  { type: 'AllergyIntolerance', patientParam: 'patient' },
  { type: 'Condition', patientParam: 'subject' },
  { type: 'Flag', patientParam: 'subject' },
  { type: 'MedicationRequest', patientParam: 'subject' },
  { type: 'MedicationAdministration', patientParam: 'subject' },
  { type: 'Observation', patientParam: 'subject' },
  { type: 'DocumentReference', patientParam: 'subject' },
];

export function upstreamSourceOf(baseUrl: string, resource: Resource): string {
  const version = resource.meta?.versionId ?? resource.meta?.lastUpdated ?? '0';
  return `${baseUrl}/${resource.resourceType}/${resource.id ?? ''}/_history/${version}`;
}

/** True when the hub's copy came from this upstream. */
export function isFromUpstream(baseUrl: string, resource: Resource | null): boolean {
  return typeof resource?.meta?.source === 'string' && resource.meta.source.startsWith(`${baseUrl}/`);
}

function wardLocation(ward: string): string {
  return `Location/ward-${ward}`;
}

function localReference(reference: string | undefined, baseUrl: string): string | undefined {
  if (reference === undefined) return undefined;
  return reference.startsWith(`${baseUrl}/`) ? reference.slice(baseUrl.length + 1) : reference;
}

function placedOnWards(encounter: Encounter, baseUrl: string, wards: readonly UpstreamWard[]): Encounter {
  const all = encounter.location ?? [];
  // The hub's ward Locations are the hub's to set: only from the upstream's mapped Locations.
  const entries = all.filter((entry) => !entry.location?.reference?.startsWith('Location/ward-'));
  const added: NonNullable<Encounter['location']> = [];
  for (const entry of all) {
    const ref = localReference(entry.location?.reference, baseUrl);
    const ward = wards.find((w) => w.location === ref);
    if (ward && entry.status !== 'completed' && !added.some((a) => a.location.reference === wardLocation(ward.ward))) {
      added.push({ location: { reference: wardLocation(ward.ward) }, status: entry.status ?? 'active' });
    }
  }
  const location = [...entries, ...added];
  const { location: _dropped, ...rest } = encounter;
  return location.length === 0 ? rest : { ...rest, location };
}

const IDENTIFIER_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** The EHR's MRN of a Patient: the identifier of `mrnSystem`, else the one typed MR. */
export function upstreamMrnOf(patient: Patient, mrnSystem: string | undefined): string | undefined {
  const identifiers = patient.identifier ?? [];
  const found =
    mrnSystem === undefined
      ? identifiers.find((i) => i.type?.coding?.some((c) => c.system === IDENTIFIER_TYPE_SYSTEM && c.code === 'MR'))
      : identifiers.find((i) => i.system === mrnSystem);
  return found?.value;
}

/**
 * The Patient with the hub's MRN identifier (urn:wardline:mrn, the one the ADT feed and the
 * workstations look patients up by) added from the EHR's MRN, first, as the ADT feed writes it.
 */
function withHubMrn(patient: Patient, mrnSystem: string | undefined): Patient {
  const mrn = upstreamMrnOf(patient, mrnSystem);
  const identifiers = patient.identifier ?? [];
  if (mrn === undefined || identifiers.some((i) => i.system === MRN_SYSTEM)) return patient;
  const hubMrn = {
    use: 'usual' as const,
    type: { coding: [{ system: IDENTIFIER_TYPE_SYSTEM, code: 'MR', display: 'Medical record number' }] },
    system: MRN_SYSTEM,
    value: mrn,
  };
  return { ...patient, identifier: [hubMrn, ...identifiers] };
}

/**
 * The Encounter with the ADT feed's visit number (`secondary`, visit-match.ts) for each of its EHR
 * identifiers in a visit-number system mapped to a feed authority.
 */
function withFeedVisitNumbers(encounter: Encounter, visitSystems: readonly UpstreamVisitSystem[]): Encounter {
  const added = (encounter.identifier ?? []).flatMap((identifier) =>
    visitSystems
      .filter((mapping) => mapping.system === identifier.system && identifier.value)
      .map((mapping) => derivedVisitNumber(mapping.authority, identifier.value!)),
  );
  return added.length === 0 ? encounter : { ...encounter, identifier: [...(encounter.identifier ?? []), ...added] };
}

/** The hub's form of an upstream resource; null for a type the hub does not keep. */
export function hubFormOf(
  resource: Resource,
  baseUrl: string,
  wards: readonly UpstreamWard[],
  mrnSystem?: string,
  visitSystems: readonly UpstreamVisitSystem[] = [],
): Resource | null {
  if (!isSupportedResourceType(resource.resourceType) || !resource.id) return null;
  const upstreamMeta = resource.meta ?? {};
  const meta = {
    source: upstreamSourceOf(baseUrl, resource),
    ...(upstreamMeta.profile ? { profile: upstreamMeta.profile } : {}),
    ...(upstreamMeta.security ? { security: upstreamMeta.security } : {}),
    ...(upstreamMeta.tag ? { tag: upstreamMeta.tag } : {}),
  };
  const copy = { ...resource, meta } as Resource;
  if (copy.resourceType === 'Patient') return withHubMrn(copy, mrnSystem);
  return copy.resourceType === 'Encounter' ? withFeedVisitNumbers(placedOnWards(copy, baseUrl, wards), visitSystems) : copy;
}
