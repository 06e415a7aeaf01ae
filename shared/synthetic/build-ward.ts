// The ward itself: its Location, bed Locations, and a fixed staff roster (physicians and nurses).
// The roster does not depend on the number of patients, so a patient generated alone references
// the same practitioners as in the full ward.
import type { Location, Practitioner, Reference } from '@medplum/fhirtypes';
import { BED_STATUS_SYSTEM, LOCATION_PHYSICAL_TYPE_SYSTEM, SNOMED_SYSTEM } from '../fhir/index.js';
import { STAFF_FAMILY_NAMES, STAFF_GIVEN_NAMES } from './names.js';
import { deepFreeze } from './frozen.js';
import type { Rng } from './prng.js';
import type { WardSpec } from './types.js';

export const STAFF_ID_SYSTEM = 'urn:wardline:staff';
export const PHYSICIANS_PER_WARD = 6;
export const NURSES_PER_WARD = 16;

export interface WardStaff {
  readonly practitioners: Practitioner[];
  readonly physicians: Reference<Practitioner>[];
  readonly nurses: Reference<Practitioner>[];
}

export function wardLocationId(ward: WardSpec): string {
  return `ward-${ward.id}`;
}

export function bedLocationId(ward: WardSpec, bed: number): string {
  return `ward-${ward.id}-bed-${bed}`;
}

export function buildWardLocation(ward: WardSpec): Location {
  return {
    resourceType: 'Location',
    id: wardLocationId(ward),
    identifier: [{ system: 'urn:wardline:ward', value: ward.id }],
    status: 'active',
    name: ward.name,
    description: 'Synthetic inpatient ward (test data)',
    mode: 'instance',
    physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'wa', display: 'Ward' }] },
  };
}

/** Beds 1..count; the first `occupied` are marked occupied. */
export function buildBeds(ward: WardSpec, count: number, occupied: number): Location[] {
  const beds: Location[] = [];
  for (let bed = 1; bed <= count; bed++) {
    const isOccupied = bed <= occupied;
    beds.push({
      resourceType: 'Location',
      id: bedLocationId(ward, bed),
      status: 'active',
      operationalStatus: { system: BED_STATUS_SYSTEM, code: isOccupied ? 'O' : 'U', display: isOccupied ? 'Occupied' : 'Unoccupied' },
      name: `Bed ${bed}`,
      mode: 'instance',
      physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'bd', display: 'Bed' }] },
      partOf: { reference: `Location/${wardLocationId(ward)}`, display: ward.name },
    });
  }
  return beds;
}

const PHYSICIAN = { system: SNOMED_SYSTEM, code: '309343006', display: 'Physician' };
const NURSE = { system: SNOMED_SYSTEM, code: '224535009', display: 'Registered nurse' };

export function buildStaff(rng: Rng): WardStaff {
  const practitioners: Practitioner[] = [];
  const physicians: Reference<Practitioner>[] = [];
  const nurses: Reference<Practitioner>[] = [];
  const staffNumbers = new Set<number>();
  for (let i = 0; i < PHYSICIANS_PER_WARD + NURSES_PER_WARD; i++) {
    const isPhysician = i < PHYSICIANS_PER_WARD;
    const id = rng.uuid();
    const given = rng.pick(STAFF_GIVEN_NAMES);
    const family = rng.pick(STAFF_FAMILY_NAMES);
    let staffNumber = rng.int(10000, 99999);
    while (staffNumbers.has(staffNumber)) staffNumber = rng.int(10000, 99999);
    staffNumbers.add(staffNumber);
    practitioners.push({
      resourceType: 'Practitioner',
      id,
      identifier: [{ system: STAFF_ID_SYSTEM, value: `S${staffNumber}` }],
      active: true,
      name: [{ use: 'official', family, given: [given], ...(isPhysician ? { prefix: ['Dr'] } : {}) }],
      qualification: [
        { code: { coding: [{ ...(isPhysician ? PHYSICIAN : NURSE) }], text: isPhysician ? 'Physician' : 'Registered nurse' } },
      ],
    });
    const display = isPhysician ? `Dr ${given} ${family}` : `${given} ${family}, RN`;
    (isPhysician ? physicians : nurses).push(deepFreeze({ reference: `Practitioner/${id}`, display }));
  }
  return { practitioners, physicians, nurses };
}
