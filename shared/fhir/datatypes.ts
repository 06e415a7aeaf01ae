// FHIR R4 general-purpose data types (Coding, CodeableConcept, Reference, Quantity, ...) and the
// Dosage/Timing structures MedicationRequest needs. Built once at module load; every object is loose
// (unknown elements pass) but every element listed here is type-checked.
import { z } from 'zod';
import { choice, fhirObject } from './choice.js';
import {
  fhirBase64Binary,
  fhirBoolean,
  fhirCanonical,
  fhirCode,
  fhirDateTime,
  fhirDecimal,
  fhirId,
  fhirInstant,
  fhirInteger,
  fhirMarkdown,
  fhirPositiveInt,
  fhirString,
  fhirTime,
  fhirUnsignedInt,
  fhirUri,
  fhirUrl,
  fhirXhtml,
  list,
} from './primitives.js';

/** Extensions are checked loosely: a url is required, the value is not inspected. */
export const extension = z.looseObject({ url: fhirUri });
const extensions = list(extension);

export const coding = fhirObject({
  extension: extensions,
  system: fhirUri.optional(),
  version: fhirString.optional(),
  code: fhirCode.optional(),
  display: fhirString.optional(),
  userSelected: fhirBoolean.optional(),
});

export const codeableConcept = fhirObject({
  extension: extensions,
  coding: list(coding),
  text: fhirString.optional(),
});

export const period = fhirObject({
  extension: extensions,
  start: fhirDateTime.optional(),
  end: fhirDateTime.optional(),
});

export const quantity = fhirObject({
  extension: extensions,
  value: fhirDecimal.optional(),
  comparator: z.enum(['<', '<=', '>=', '>']).optional(),
  unit: fhirString.optional(),
  system: fhirUri.optional(),
  code: fhirCode.optional(),
});
/** SimpleQuantity, Duration, Age, Count, Distance share Quantity's structure. */
export const simpleQuantity = quantity;
export const duration = quantity;
export const age = quantity;

export const range = fhirObject({ extension: extensions, low: simpleQuantity.optional(), high: simpleQuantity.optional() });
export const ratio = fhirObject({ extension: extensions, numerator: quantity.optional(), denominator: quantity.optional() });

const identifierFields = {
  extension: extensions,
  use: z.enum(['usual', 'official', 'temp', 'secondary', 'old']).optional(),
  type: codeableConcept.optional(),
  system: fhirUri.optional(),
  value: fhirString.optional(),
  period: period.optional(),
};
/** Reference.identifier: an Identifier whose assigner is not followed further (breaks the type cycle). */
const referenceIdentifier = fhirObject(identifierFields);

export const reference = fhirObject({
  extension: extensions,
  reference: fhirString.optional(),
  type: fhirUri.optional(),
  identifier: referenceIdentifier.optional(),
  display: fhirString.optional(),
});

export const identifier = fhirObject({ ...identifierFields, assigner: reference.optional() });

export const humanName = fhirObject({
  extension: extensions,
  use: z.enum(['usual', 'official', 'temp', 'nickname', 'anonymous', 'old', 'maiden']).optional(),
  text: fhirString.optional(),
  family: fhirString.optional(),
  given: list(fhirString),
  prefix: list(fhirString),
  suffix: list(fhirString),
  period: period.optional(),
});

export const contactPoint = fhirObject({
  extension: extensions,
  system: z.enum(['phone', 'fax', 'email', 'pager', 'url', 'sms', 'other']).optional(),
  value: fhirString.optional(),
  use: z.enum(['home', 'work', 'temp', 'old', 'mobile']).optional(),
  rank: fhirPositiveInt.optional(),
  period: period.optional(),
});

export const address = fhirObject({
  extension: extensions,
  use: z.enum(['home', 'work', 'temp', 'old', 'billing']).optional(),
  type: z.enum(['postal', 'physical', 'both']).optional(),
  text: fhirString.optional(),
  line: list(fhirString),
  city: fhirString.optional(),
  district: fhirString.optional(),
  state: fhirString.optional(),
  postalCode: fhirString.optional(),
  country: fhirString.optional(),
  period: period.optional(),
});

export const annotation = fhirObject(
  { extension: extensions, time: fhirDateTime.optional(), text: fhirMarkdown },
  choice('author', { Reference: reference, String: fhirString }),
);

export const attachment = fhirObject({
  extension: extensions,
  contentType: fhirCode.optional(),
  language: fhirCode.optional(),
  data: fhirBase64Binary.optional(),
  url: fhirUrl.optional(),
  size: fhirUnsignedInt.optional(),
  hash: fhirBase64Binary.optional(),
  title: fhirString.optional(),
  creation: fhirDateTime.optional(),
});

export const meta = fhirObject({
  extension: extensions,
  versionId: fhirId.optional(),
  lastUpdated: fhirInstant.optional(),
  source: fhirUri.optional(),
  profile: list(fhirCanonical),
  security: list(coding),
  tag: list(coding),
});

export const narrative = fhirObject({
  extension: extensions,
  status: z.enum(['generated', 'extensions', 'additional', 'empty']),
  div: fhirXhtml,
});

/** Observation.valueSampledData: checked for its required elements only. */
export const sampledData = fhirObject({
  origin: simpleQuantity,
  period: fhirDecimal,
  dimensions: fhirPositiveInt,
  data: fhirString.optional(),
});

const unitsOfTime = z.enum(['s', 'min', 'h', 'd', 'wk', 'mo', 'a']);

export const timing = fhirObject({
  extension: extensions,
  event: list(fhirDateTime),
  repeat: fhirObject(
    {
      extension: extensions,
      count: fhirPositiveInt.optional(),
      countMax: fhirPositiveInt.optional(),
      duration: fhirDecimal.optional(),
      durationMax: fhirDecimal.optional(),
      durationUnit: unitsOfTime.optional(),
      frequency: fhirPositiveInt.optional(),
      frequencyMax: fhirPositiveInt.optional(),
      period: fhirDecimal.optional(),
      periodMax: fhirDecimal.optional(),
      periodUnit: unitsOfTime.optional(),
      dayOfWeek: list(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])),
      timeOfDay: list(fhirTime),
      when: list(fhirCode),
      offset: fhirUnsignedInt.optional(),
    },
    choice('bounds', { Duration: duration, Range: range, Period: period }),
  ).optional(),
  code: codeableConcept.optional(),
});

export const dosage = fhirObject(
  {
    extension: extensions,
    modifierExtension: extensions,
    sequence: fhirInteger.optional(),
    text: fhirString.optional(),
    additionalInstruction: list(codeableConcept),
    patientInstruction: fhirString.optional(),
    timing: timing.optional(),
    site: codeableConcept.optional(),
    route: codeableConcept.optional(),
    method: codeableConcept.optional(),
    doseAndRate: list(
      fhirObject(
        { extension: extensions, type: codeableConcept.optional() },
        choice('dose', { Range: range, Quantity: simpleQuantity }),
        choice('rate', { Ratio: ratio, Range: range, Quantity: simpleQuantity }),
      ),
    ),
    maxDosePerPeriod: ratio.optional(),
    maxDosePerAdministration: simpleQuantity.optional(),
    maxDosePerLifetime: simpleQuantity.optional(),
  },
  choice('asNeeded', { Boolean: fhirBoolean, CodeableConcept: codeableConcept }),
);

/** Elements every resource has (Resource + DomainResource). */
export const domainResourceFields = {
  id: fhirId.optional(),
  meta: meta.optional(),
  implicitRules: fhirUri.optional(),
  language: fhirCode.optional(),
  text: narrative.optional(),
  contained: list(z.looseObject({ resourceType: fhirString })),
  extension: extensions,
  modifierExtension: extensions,
};

/** Backbone elements carry extensions too. */
export const backboneFields = { extension: extensions, modifierExtension: extensions };

/** Shared list schemas (zod schemas are immutable, so one instance serves every element). */
export const referenceList = list(reference);
export const conceptList = list(codeableConcept);
export const identifierList = list(identifier);
export const annotationList = list(annotation);
