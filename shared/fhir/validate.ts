// validateResource: the gate every resource passes on its way into the vault or the hub. Schemas are
// built once at module load; a resource is parsed by the one schema of its type (no union search).
import type { Resource } from '@medplum/fhirtypes';
import type { z } from 'zod';
import { compileGuard, type Guard } from './compiled-guard.js';
import { encounterSchema, locationSchema, patientSchema, practitionerSchema } from './resources-administrative.js';
import { allergyIntoleranceSchema, conditionSchema, documentReferenceSchema, flagSchema, observationSchema } from './resources-clinical.js';
import { medicationAdministrationSchema, medicationRequestSchema } from './resources-medication.js';
import { auditEventSchema, provenanceSchema } from './resources-security.js';
import { isSupportedResourceType, type SupportedResourceType } from './resource-types.js';
import { FhirValidationError, fhirPath } from './validation-error.js';

const SCHEMAS: Readonly<Record<SupportedResourceType, z.ZodType>> = {
  Patient: patientSchema,
  Encounter: encounterSchema,
  Location: locationSchema,
  Practitioner: practitionerSchema,
  AllergyIntolerance: allergyIntoleranceSchema,
  Condition: conditionSchema,
  MedicationRequest: medicationRequestSchema,
  MedicationAdministration: medicationAdministrationSchema,
  Observation: observationSchema,
  DocumentReference: documentReferenceSchema,
  Flag: flagSchema,
  Provenance: provenanceSchema,
  AuditEvent: auditEventSchema,
};

const GUARDS = Object.fromEntries(Object.entries(SCHEMAS).map(([type, schema]) => [type, compileGuard(schema)])) as Readonly<
  Record<SupportedResourceType, Guard>
>;

/** The zod schema of one resource type (the definition; tests and tools only). */
export function schemaFor(type: SupportedResourceType): z.ZodType {
  return SCHEMAS[type];
}

/** The compiled guard of one resource type (tests only: it must agree with schemaFor). */
export function guardFor(type: SupportedResourceType): Guard {
  return GUARDS[type];
}

/**
 * Checks that `input` is a valid FHIR R4 resource of a supported type and returns it (the same
 * object, unchanged) typed as a Resource. Unknown elements are allowed; known ones must be valid.
 * @throws FhirValidationError naming the first offending element's path; never its value.
 */
export function validateResource(input: unknown): Resource {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new FhirValidationError('resource', 'expected a JSON object');
  }
  const resourceType = (input as { resourceType?: unknown }).resourceType;
  if (resourceType === undefined) throw new FhirValidationError('resourceType', 'required');
  if (typeof resourceType !== 'string') throw new FhirValidationError('resourceType', 'expected a string');
  if (!isSupportedResourceType(resourceType)) {
    throw new FhirValidationError('resourceType', 'not a resource type Wardline supports');
  }
  if (GUARDS[resourceType](input)) return input as Resource;
  // The slow path: zod finds the first offending element (or, should the guard be stricter than
  // the schema somewhere, accepts the resource).
  const result = SCHEMAS[resourceType].safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue === undefined) throw new FhirValidationError(resourceType, 'invalid', resourceType);
    throw new FhirValidationError(fhirPath(resourceType, issue.path), describeIssue(issue, input), resourceType);
  }
  return input as Resource;
}

type Issue = z.core.$ZodIssue;

const ARTICLE: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  array: 'an array',
  object: 'an object',
};

/** What was wrong, in words built from the schema (expected type, allowed codes, limits), never the input. */
function describeIssue(issue: Issue, input: unknown): string {
  if (issue.code !== 'custom' && valueAt(input, issue.path) === undefined) return 'required';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${ARTICLE[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `expected one of: ${issue.values.slice(0, 12).map(String).join(', ')}${issue.values.length > 12 ? ', …' : ''}`;
    case 'invalid_format':
    case 'custom':
      return issue.message;
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') return issue.message;
      return `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_union':
      return 'does not match any allowed form';
    default:
      return 'invalid';
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
