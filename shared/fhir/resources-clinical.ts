// Schemas for the clinical record: AllergyIntolerance, Condition, Observation, Flag and
// DocumentReference (FHIR R4 elements, cardinalities and required value sets).
import { z } from 'zod';
import { choice, fhirObject } from './choice.js';
import {
  age,
  annotationList,
  attachment,
  backboneFields,
  codeableConcept,
  coding,
  conceptList,
  domainResourceFields,
  identifier,
  identifierList,
  period,
  quantity,
  range,
  ratio,
  reference,
  referenceList,
  sampledData,
  simpleQuantity,
  timing,
} from './datatypes.js';
import { fhirBoolean, fhirDateTime, fhirInstant, fhirInteger, fhirString, fhirTime, list, requiredList } from './primitives.js';

const onsetTypes = { DateTime: fhirDateTime, Age: age, Period: period, Range: range, String: fhirString };

export const allergyIntoleranceSchema = fhirObject(
  {
    resourceType: z.literal('AllergyIntolerance'),
    ...domainResourceFields,
    identifier: identifierList,
    clinicalStatus: codeableConcept.optional(),
    verificationStatus: codeableConcept.optional(),
    type: z.enum(['allergy', 'intolerance']).optional(),
    category: list(z.enum(['food', 'medication', 'environment', 'biologic'])),
    criticality: z.enum(['low', 'high', 'unable-to-assess']).optional(),
    code: codeableConcept.optional(),
    patient: reference,
    encounter: reference.optional(),
    recordedDate: fhirDateTime.optional(),
    recorder: reference.optional(),
    asserter: reference.optional(),
    lastOccurrence: fhirDateTime.optional(),
    note: annotationList,
    reaction: list(
      fhirObject({
        ...backboneFields,
        substance: codeableConcept.optional(),
        manifestation: requiredList(codeableConcept),
        description: fhirString.optional(),
        onset: fhirDateTime.optional(),
        severity: z.enum(['mild', 'moderate', 'severe']).optional(),
        exposureRoute: codeableConcept.optional(),
        note: annotationList,
      }),
    ),
  },
  choice('onset', onsetTypes),
);

export const conditionSchema = fhirObject(
  {
    resourceType: z.literal('Condition'),
    ...domainResourceFields,
    identifier: identifierList,
    clinicalStatus: codeableConcept.optional(),
    verificationStatus: codeableConcept.optional(),
    category: conceptList,
    severity: codeableConcept.optional(),
    code: codeableConcept.optional(),
    bodySite: conceptList,
    subject: reference,
    encounter: reference.optional(),
    recordedDate: fhirDateTime.optional(),
    recorder: reference.optional(),
    asserter: reference.optional(),
    stage: list(
      fhirObject({ ...backboneFields, summary: codeableConcept.optional(), assessment: referenceList, type: codeableConcept.optional() }),
    ),
    evidence: list(fhirObject({ ...backboneFields, code: conceptList, detail: referenceList })),
    note: annotationList,
  },
  choice('onset', onsetTypes),
  choice('abatement', onsetTypes),
);

const observationValueTypes = {
  Quantity: quantity,
  CodeableConcept: codeableConcept,
  String: fhirString,
  Boolean: fhirBoolean,
  Integer: fhirInteger,
  Range: range,
  Ratio: ratio,
  SampledData: sampledData,
  Time: fhirTime,
  DateTime: fhirDateTime,
  Period: period,
};

const referenceRange = fhirObject({
  ...backboneFields,
  low: simpleQuantity.optional(),
  high: simpleQuantity.optional(),
  type: codeableConcept.optional(),
  appliesTo: conceptList,
  age: range.optional(),
  text: fhirString.optional(),
});

export const observationSchema = fhirObject(
  {
    resourceType: z.literal('Observation'),
    ...domainResourceFields,
    identifier: identifierList,
    basedOn: referenceList,
    partOf: referenceList,
    status: z.enum(['registered', 'preliminary', 'final', 'amended', 'corrected', 'cancelled', 'entered-in-error', 'unknown']),
    category: conceptList,
    code: codeableConcept,
    subject: reference.optional(),
    focus: referenceList,
    encounter: reference.optional(),
    issued: fhirInstant.optional(),
    performer: referenceList,
    dataAbsentReason: codeableConcept.optional(),
    interpretation: conceptList,
    note: annotationList,
    bodySite: codeableConcept.optional(),
    method: codeableConcept.optional(),
    specimen: reference.optional(),
    device: reference.optional(),
    referenceRange: list(referenceRange),
    hasMember: referenceList,
    derivedFrom: referenceList,
    component: list(
      fhirObject(
        {
          ...backboneFields,
          code: codeableConcept,
          dataAbsentReason: codeableConcept.optional(),
          interpretation: conceptList,
          referenceRange: list(referenceRange),
        },
        choice('value', observationValueTypes),
      ),
    ),
  },
  choice('effective', { DateTime: fhirDateTime, Period: period, Timing: timing, Instant: fhirInstant }),
  choice('value', observationValueTypes),
);

export const flagSchema = fhirObject({
  resourceType: z.literal('Flag'),
  ...domainResourceFields,
  identifier: identifierList,
  status: z.enum(['active', 'inactive', 'entered-in-error']),
  category: conceptList,
  code: codeableConcept,
  subject: reference,
  period: period.optional(),
  encounter: reference.optional(),
  author: reference.optional(),
});

export const documentReferenceSchema = fhirObject({
  resourceType: z.literal('DocumentReference'),
  ...domainResourceFields,
  masterIdentifier: identifier.optional(),
  identifier: identifierList,
  status: z.enum(['current', 'superseded', 'entered-in-error']),
  docStatus: z.enum(['preliminary', 'final', 'amended', 'entered-in-error']).optional(),
  type: codeableConcept.optional(),
  category: conceptList,
  subject: reference.optional(),
  date: fhirInstant.optional(),
  author: referenceList,
  authenticator: reference.optional(),
  custodian: reference.optional(),
  relatesTo: list(fhirObject({ ...backboneFields, code: z.enum(['replaces', 'transforms', 'signs', 'appends']), target: reference })),
  description: fhirString.optional(),
  securityLabel: conceptList,
  content: requiredList(fhirObject({ ...backboneFields, attachment, format: coding.optional() })),
  context: fhirObject({
    ...backboneFields,
    encounter: referenceList,
    event: conceptList,
    period: period.optional(),
    facilityType: codeableConcept.optional(),
    practiceSetting: codeableConcept.optional(),
    sourcePatientInfo: reference.optional(),
    related: referenceList,
  }).optional(),
});
