// The generator's public types: what a caller asks for and what a synthetic ward contains.
import type { Encounter, Location, Patient, Practitioner, Resource } from '@medplum/fhirtypes';

export interface WardSpec {
  /** The ward code (shared/fhir WARD_CODE_RULE); becomes part of Location ids (`ward-${id}`). */
  id: string;
  name: string;
}

export interface GenerateWardOptions {
  /** Used by its string form: 42 and '42' give the same ward. */
  seed: number | string;
  patients: number;
  /** Length of each patient's chart history in days, ending at `now`; admission is that long ago. */
  days: number;
  /** Default { id: 'demo', name: 'Demo Ward' }. */
  ward?: WardSpec;
  /** ISO instant the history ends at; default '2026-01-15T08:00:00Z', so the same seed gives the same output. */
  now?: string;
}

export interface SyntheticPatient {
  patient: Patient;
  encounter: Encounter;
  /** All of this patient's resources including Patient and Encounter, referenced before referencing. */
  resources: Resource[];
  /** Strings that must never appear in clear on disk or in logs: full name parts, MRN, birth date. */
  sensitiveStrings: string[];
}

export interface SyntheticWard {
  ward: WardSpec;
  /** The ward Location, id `ward-${ward.id}`. */
  location: Location;
  /** Bed Locations partOf the ward, ids `ward-${ward.id}-bed-${n}`; patient i lies in bed i + 1. */
  beds: Location[];
  practitioners: Practitioner[];
  patients: SyntheticPatient[];
  /** Everything above and every patient's resources, in an order safe to ingest. */
  resources: Resource[];
}
