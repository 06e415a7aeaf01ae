// Who the patient is (name, sex, birth date, MRN) and the admission that brings them to the ward:
// the Patient and its in-progress inpatient Encounter.
import type { Encounter, Location, Patient } from '@medplum/fhirtypes';
import { LOCATION_PHYSICAL_TYPE_SYSTEM, MRN_SYSTEM, SNOMED_SYSTEM } from '../fhir/index.js';
import type { ProblemDefinition } from './clinical-catalog.js';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from './names.js';
import { metaFor, ref, type PatientContext } from './patient-context.js';
import type { Rng } from './prng.js';
import { DAY, isoDate, isoInstant } from './time.js';
import { bedLocationId, wardLocationId } from './build-ward.js';
import type { WardSpec } from './types.js';

export interface Demographics {
  readonly sex: 'male' | 'female';
  readonly ageYears: number;
  readonly birthDate: string;
  readonly given: readonly string[];
  readonly family: string;
  readonly mrn: string;
}

export function drawDemographics(rng: Rng, nowMs: number, mrnNumber: number): Demographics {
  const sex = rng.chance(0.5) ? 'female' : 'male';
  const band = rng.next();
  const ageYears = band < 0.6 ? rng.int(65, 95) : band < 0.9 ? rng.int(40, 64) : rng.int(18, 39);
  const birthMs = nowMs - Math.floor((ageYears * 365.25 + rng.real(1, 364)) * DAY);
  const names = sex === 'female' ? FEMALE_GIVEN_NAMES : MALE_GIVEN_NAMES;
  const given = rng.chance(0.3) ? rng.sample(names, 2) : [rng.pick(names)];
  return {
    sex,
    ageYears,
    birthDate: isoDate(birthMs),
    given,
    family: rng.pick(FAMILY_NAMES),
    mrn: `MRN${String(mrnNumber).padStart(7, '0')}`,
  };
}

export function sensitiveStringsOf(d: Demographics): string[] {
  const full = [`${d.given[0]!} ${d.family}`, `${d.given.join(' ')} ${d.family}`];
  return [...new Set([...d.given, d.family, ...full, d.mrn, d.birthDate])];
}

export function buildPatient(ctx: PatientContext, d: Demographics): Patient {
  const meta = metaFor(ctx).meta;
  return {
    resourceType: 'Patient',
    id: ctx.patientId,
    meta: {
      ...(meta ?? {}),
      tag: [{ system: 'urn:wardline:tag', code: 'synthetic', display: 'Synthetic test data' }],
    },
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
        system: MRN_SYSTEM,
        value: d.mrn,
      },
    ],
    active: true,
    name: [{ use: 'official', family: d.family, given: [...d.given] }],
    gender: d.sex,
    birthDate: d.birthDate,
  };
}

export function buildEncounter(ctx: PatientContext, ward: WardSpec, reason: ProblemDefinition): Encounter {
  const start = isoInstant(ctx.admissionMs);
  const bed = ctx.index + 1;
  return {
    resourceType: 'Encounter',
    id: ctx.encounterId,
    ...metaFor(ctx),
    status: 'in-progress',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
    subject: { ...ctx.subject },
    participant: [
      {
        type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND', display: 'attender' }] }],
        individual: { ...ctx.attending },
      },
    ],
    period: { start },
    reasonCode: [{ coding: [{ system: SNOMED_SYSTEM, code: reason.code, display: reason.display }], text: reason.display }],
    hospitalization: {
      admitSource: {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/admit-source', code: 'emd', display: 'From accident/emergency department' },
        ],
      },
    },
    location: [
      {
        location: ref<Location>('Location', wardLocationId(ward), ward.name),
        status: 'active',
        physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'wa', display: 'Ward' }] },
        period: { start },
      },
      {
        location: ref<Location>('Location', bedLocationId(ward, bed), `Bed ${bed}`),
        status: 'active',
        physicalType: { coding: [{ system: LOCATION_PHYSICAL_TYPE_SYSTEM, code: 'bd', display: 'Bed' }] },
        period: { start },
      },
    ],
  };
}
