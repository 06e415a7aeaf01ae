// Schemas for the accountability resources: Provenance (who documented what, e.g. during downtime)
// and AuditEvent (the audit trail as uploaded to the hub). FHIR R4 elements and cardinalities.
import { z } from 'zod';
import { choice, fhirObject } from './choice.js';
import { backboneFields, codeableConcept, coding, conceptList, domainResourceFields, period, reference } from './datatypes.js';
import {
  fhirBase64Binary,
  fhirBoolean,
  fhirCode,
  fhirDateTime,
  fhirInstant,
  fhirString,
  fhirUri,
  list,
  requiredList,
} from './primitives.js';

const provenanceAgent = fhirObject({
  ...backboneFields,
  type: codeableConcept.optional(),
  role: conceptList,
  who: reference,
  onBehalfOf: reference.optional(),
});

const signature = fhirObject({
  type: requiredList(coding),
  when: fhirInstant,
  who: reference,
  onBehalfOf: reference.optional(),
  targetFormat: fhirCode.optional(),
  sigFormat: fhirCode.optional(),
  data: fhirBase64Binary.optional(),
});

export const provenanceSchema = fhirObject(
  {
    resourceType: z.literal('Provenance'),
    ...domainResourceFields,
    target: requiredList(reference),
    recorded: fhirInstant,
    policy: list(fhirUri),
    location: reference.optional(),
    reason: conceptList,
    activity: codeableConcept.optional(),
    agent: requiredList(provenanceAgent),
    entity: list(
      fhirObject({
        ...backboneFields,
        role: z.enum(['derivation', 'revision', 'quotation', 'source', 'removal']),
        what: reference,
        agent: list(provenanceAgent),
      }),
    ),
    signature: list(signature),
  },
  choice('occurred', { Period: period, DateTime: fhirDateTime }),
);

export const auditEventSchema = fhirObject({
  resourceType: z.literal('AuditEvent'),
  ...domainResourceFields,
  type: coding,
  subtype: list(coding),
  action: z.enum(['C', 'R', 'U', 'D', 'E']).optional(),
  period: period.optional(),
  recorded: fhirInstant,
  outcome: z.enum(['0', '4', '8', '12']).optional(),
  outcomeDesc: fhirString.optional(),
  purposeOfEvent: conceptList,
  agent: requiredList(
    fhirObject({
      ...backboneFields,
      type: codeableConcept.optional(),
      role: conceptList,
      who: reference.optional(),
      altId: fhirString.optional(),
      name: fhirString.optional(),
      requestor: fhirBoolean,
      location: reference.optional(),
      policy: list(fhirUri),
      media: coding.optional(),
      network: fhirObject({
        ...backboneFields,
        address: fhirString.optional(),
        type: z.enum(['1', '2', '3', '4', '5']).optional(),
      }).optional(),
      purposeOfUse: conceptList,
    }),
  ),
  source: fhirObject({ ...backboneFields, site: fhirString.optional(), observer: reference, type: list(coding) }),
  entity: list(
    fhirObject({
      ...backboneFields,
      what: reference.optional(),
      type: coding.optional(),
      role: coding.optional(),
      lifecycle: coding.optional(),
      securityLabel: list(coding),
      name: fhirString.optional(),
      description: fhirString.optional(),
      query: fhirBase64Binary.optional(),
      detail: list(
        fhirObject({ ...backboneFields, type: fhirString }, choice('value', { String: fhirString, Base64Binary: fhirBase64Binary }, true)),
      ),
    }),
  ),
});
