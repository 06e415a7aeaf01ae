// Schemas for the administrative resources Wardline uses: Patient, Practitioner, Location, Encounter
// (FHIR R4 elements and cardinalities; required value sets as enums).
import { z } from 'zod';
import { choice, fhirObject } from './choice.js';
import {
  address,
  attachment,
  backboneFields,
  codeableConcept,
  coding,
  conceptList,
  contactPoint,
  domainResourceFields,
  duration,
  humanName,
  identifier,
  identifierList,
  period,
  reference,
  referenceList,
} from './datatypes.js';
import {
  fhirBoolean,
  fhirDate,
  fhirDateTime,
  fhirDecimal,
  fhirInteger,
  fhirPositiveInt,
  fhirString,
  fhirTime,
  list,
} from './primitives.js';

const administrativeGender = z.enum(['male', 'female', 'other', 'unknown']);

export const patientSchema = fhirObject(
  {
    resourceType: z.literal('Patient'),
    ...domainResourceFields,
    identifier: identifierList,
    active: fhirBoolean.optional(),
    name: list(humanName),
    telecom: list(contactPoint),
    gender: administrativeGender.optional(),
    birthDate: fhirDate.optional(),
    address: list(address),
    maritalStatus: codeableConcept.optional(),
    photo: list(attachment),
    contact: list(
      fhirObject({
        ...backboneFields,
        relationship: conceptList,
        name: humanName.optional(),
        telecom: list(contactPoint),
        address: address.optional(),
        gender: administrativeGender.optional(),
        organization: reference.optional(),
        period: period.optional(),
      }),
    ),
    communication: list(fhirObject({ ...backboneFields, language: codeableConcept, preferred: fhirBoolean.optional() })),
    generalPractitioner: referenceList,
    managingOrganization: reference.optional(),
    link: list(fhirObject({ ...backboneFields, other: reference, type: z.enum(['replaced-by', 'replaces', 'refer', 'seealso']) })),
  },
  choice('deceased', { Boolean: fhirBoolean, DateTime: fhirDateTime }),
  choice('multipleBirth', { Boolean: fhirBoolean, Integer: fhirInteger }),
);

export const practitionerSchema = fhirObject({
  resourceType: z.literal('Practitioner'),
  ...domainResourceFields,
  identifier: identifierList,
  active: fhirBoolean.optional(),
  name: list(humanName),
  telecom: list(contactPoint),
  address: list(address),
  gender: administrativeGender.optional(),
  birthDate: fhirDate.optional(),
  photo: list(attachment),
  qualification: list(
    fhirObject({
      ...backboneFields,
      identifier: identifierList,
      code: codeableConcept,
      period: period.optional(),
      issuer: reference.optional(),
    }),
  ),
  communication: conceptList,
});

export const locationSchema = fhirObject({
  resourceType: z.literal('Location'),
  ...domainResourceFields,
  identifier: identifierList,
  status: z.enum(['active', 'suspended', 'inactive']).optional(),
  operationalStatus: coding.optional(),
  name: fhirString.optional(),
  alias: list(fhirString),
  description: fhirString.optional(),
  mode: z.enum(['instance', 'kind']).optional(),
  type: conceptList,
  telecom: list(contactPoint),
  address: address.optional(),
  physicalType: codeableConcept.optional(),
  position: fhirObject({
    ...backboneFields,
    longitude: fhirDecimal,
    latitude: fhirDecimal,
    altitude: fhirDecimal.optional(),
  }).optional(),
  managingOrganization: reference.optional(),
  partOf: reference.optional(),
  hoursOfOperation: list(
    fhirObject({
      ...backboneFields,
      daysOfWeek: list(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
      allDay: fhirBoolean.optional(),
      openingTime: fhirTime.optional(),
      closingTime: fhirTime.optional(),
    }),
  ),
  availabilityExceptions: fhirString.optional(),
  endpoint: referenceList,
});

const encounterStatus = z.enum([
  'planned',
  'arrived',
  'triaged',
  'in-progress',
  'onleave',
  'finished',
  'cancelled',
  'entered-in-error',
  'unknown',
]);

export const encounterSchema = fhirObject({
  resourceType: z.literal('Encounter'),
  ...domainResourceFields,
  identifier: identifierList,
  status: encounterStatus,
  statusHistory: list(fhirObject({ ...backboneFields, status: encounterStatus, period })),
  class: coding,
  classHistory: list(fhirObject({ ...backboneFields, class: coding, period })),
  type: conceptList,
  serviceType: codeableConcept.optional(),
  priority: codeableConcept.optional(),
  subject: reference.optional(),
  episodeOfCare: referenceList,
  basedOn: referenceList,
  participant: list(fhirObject({ ...backboneFields, type: conceptList, period: period.optional(), individual: reference.optional() })),
  appointment: referenceList,
  period: period.optional(),
  length: duration.optional(),
  reasonCode: conceptList,
  reasonReference: referenceList,
  diagnosis: list(
    fhirObject({ ...backboneFields, condition: reference, use: codeableConcept.optional(), rank: fhirPositiveInt.optional() }),
  ),
  account: referenceList,
  hospitalization: fhirObject({
    ...backboneFields,
    preAdmissionIdentifier: identifier.optional(),
    origin: reference.optional(),
    admitSource: codeableConcept.optional(),
    reAdmission: codeableConcept.optional(),
    dietPreference: conceptList,
    specialCourtesy: conceptList,
    specialArrangement: conceptList,
    destination: reference.optional(),
    dischargeDisposition: codeableConcept.optional(),
  }).optional(),
  location: list(
    fhirObject({
      ...backboneFields,
      location: reference,
      status: z.enum(['planned', 'active', 'reserved', 'completed']).optional(),
      physicalType: codeableConcept.optional(),
      period: period.optional(),
    }),
  ),
  serviceProvider: reference.optional(),
  partOf: reference.optional(),
});
