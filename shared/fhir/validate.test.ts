import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FhirValidationError, SUPPORTED_RESOURCE_TYPES, isSupportedResourceType, validateResource } from './index.js';
import { VALID_EXAMPLES } from './test-examples.js';
import { guardFor, schemaFor } from './validate.js';

/** A value no schema message could contain unless it echoed the input. */
const SECRET = 'Zebulon-Quartermaine-MRN9918273';

function clone<T>(value: T): T {
  return structuredClone(value);
}

function example(type: keyof typeof VALID_EXAMPLES): Record<string, unknown> {
  return clone(VALID_EXAMPLES[type]) as unknown as Record<string, unknown>;
}

function rejection(input: unknown): FhirValidationError {
  try {
    validateResource(input);
  } catch (error) {
    expect(error).toBeInstanceOf(FhirValidationError);
    return error as FhirValidationError;
  }
  throw new Error('expected the resource to be rejected');
}

describe('validateResource accepts valid FHIR R4', () => {
  it.each(SUPPORTED_RESOURCE_TYPES)('accepts a valid %s and returns the very same object', (type) => {
    const resource = example(type);
    expect(validateResource(resource)).toBe(resource);
  });

  it('lets unknown elements through untouched (a newer server may send more than we know)', () => {
    const resource = { ...example('Observation'), futureElement: { anything: [1, 'two'] }, _status: { id: 'x' } };
    expect(validateResource(resource)).toBe(resource);
    expect(resource.futureElement).toEqual({ anything: [1, 'two'] });
  });

  it('accepts every FHIR date/time precision the spec allows', () => {
    for (const when of [
      '2026',
      '2026-01',
      '2026-01-15',
      '2026-01-15T08:00:00Z',
      '2026-01-15T08:00:00.123+14:00',
      '2026-01-15T23:59:60-05:30',
    ]) {
      expect(() => validateResource({ ...example('Observation'), effectiveDateTime: when })).not.toThrow();
    }
  });
});

describe('validateResource rejects invalid input, naming the element path', () => {
  it.each([
    ['Observation', 'status', 'Observation.status: required'],
    ['Observation', 'code', 'Observation.code: required'],
    ['Encounter', 'status', 'Encounter.status: required'],
    ['Encounter', 'class', 'Encounter.class: required'],
    ['MedicationRequest', 'status', 'MedicationRequest.status: required'],
    ['MedicationRequest', 'intent', 'MedicationRequest.intent: required'],
    ['MedicationRequest', 'medicationCodeableConcept', 'MedicationRequest.medication[x]: required'],
    ['MedicationRequest', 'subject', 'MedicationRequest.subject: required'],
    ['MedicationAdministration', 'status', 'MedicationAdministration.status: required'],
    ['MedicationAdministration', 'medicationCodeableConcept', 'MedicationAdministration.medication[x]: required'],
    ['MedicationAdministration', 'subject', 'MedicationAdministration.subject: required'],
    ['MedicationAdministration', 'effectivePeriod', 'MedicationAdministration.effective[x]: required'],
    ['AllergyIntolerance', 'patient', 'AllergyIntolerance.patient: required'],
    ['Condition', 'subject', 'Condition.subject: required'],
    ['Flag', 'status', 'Flag.status: required'],
    ['Flag', 'code', 'Flag.code: required'],
    ['Flag', 'subject', 'Flag.subject: required'],
    ['DocumentReference', 'status', 'DocumentReference.status: required'],
    ['DocumentReference', 'content', 'DocumentReference.content: required'],
    ['Provenance', 'target', 'Provenance.target: required'],
    ['Provenance', 'recorded', 'Provenance.recorded: required'],
    ['Provenance', 'agent', 'Provenance.agent: required'],
    ['AuditEvent', 'type', 'AuditEvent.type: required'],
    ['AuditEvent', 'recorded', 'AuditEvent.recorded: required'],
    ['AuditEvent', 'agent', 'AuditEvent.agent: required'],
    ['AuditEvent', 'source', 'AuditEvent.source: required'],
  ] as const)('a %s without %s is rejected: "%s"', (type, element, message) => {
    const resource = example(type);
    delete resource[element];
    const error = rejection(resource);
    expect(error.message).toBe(message);
    expect(error.code).toBe('INVALID_RESOURCE');
    expect(error.resourceType).toBe(type);
  });

  it('names nested paths with array indexes, and says what type was expected', () => {
    const resource = example('Observation');
    resource.code = { coding: [{ system: 7 }] };
    const error = rejection(resource);
    expect(error.path).toBe('Observation.code.coding[0].system');
    expect(error.message).toBe('Observation.code.coding[0].system: expected a string');
  });

  it('finds a missing element deep inside a backbone element', () => {
    const resource = example('Observation');
    (resource.component as Record<string, unknown>[])[1]!.code = undefined;
    expect(rejection(resource).message).toBe('Observation.component[1].code: required');
  });

  it.each([
    ['Observation', 'effectiveDateTime', '2026-13-01'],
    ['Observation', 'effectiveDateTime', '2026-01-15T08:00:00'],
    ['Observation', 'effectiveDateTime', '15/01/2026'],
    ['Observation', 'issued', '2026-01-15'],
    ['Patient', 'birthDate', '1948-02-29T00:00:00Z'],
    ['Provenance', 'recorded', '2026-01-11T25:00:00Z'],
  ] as const)('rejects a malformed date: %s.%s = %s', (type, element, value) => {
    const error = rejection({ ...example(type), [element]: value });
    expect(error.path).toBe(`${type}.${element}`);
    expect(error.message).not.toContain(value);
  });

  it.each(['', 'has space', 'slash/inside', 'x'.repeat(65), 'ümlaut'])('rejects a malformed id (%j)', (id) => {
    const error = rejection({ ...example('Patient'), id });
    expect(error.path).toBe('Patient.id');
    expect(error.message).toMatch(/^Patient\.id: expected a FHIR id/);
  });

  it('rejects two values for one choice element', () => {
    const error = rejection({ ...example('Observation'), valueQuantity: { value: 1 }, valueString: 'x' });
    expect(error.path).toBe('Observation.value[x]');
    expect(error.message).toContain('only one of valueQuantity');
  });

  it('rejects two values for a choice inside a backbone element', () => {
    const resource = example('MedicationRequest');
    const dosage = (resource.dosageInstruction as Record<string, unknown>[])[0]!;
    dosage.asNeededBoolean = true;
    dosage.asNeededCodeableConcept = { text: 'pain' };
    expect(rejection(resource).path).toBe('MedicationRequest.dosageInstruction[0].asNeeded[x]');
  });

  it('checks the type of the choice value that is present', () => {
    const error = rejection({ ...example('Observation'), valueQuantity: { value: 'seventy' } });
    expect(error.message).toBe('Observation.valueQuantity.value: expected a number');
  });

  it('rejects a code outside a required value set, listing the allowed codes', () => {
    const error = rejection({ ...example('Observation'), status: 'done' });
    expect(error.message).toMatch(/^Observation\.status: expected one of: registered, preliminary, final/);
  });

  it('rejects empty arrays and empty strings (not allowed in FHIR JSON)', () => {
    expect(rejection({ ...example('Observation'), performer: [] }).path).toBe('Observation.performer');
    expect(rejection({ ...example('Patient'), name: [{ family: '' }] }).path).toBe('Patient.name[0].family');
  });

  it('rejects integers out of range and non-base64 attachment data', () => {
    const patient = example('Patient');
    (patient.telecom as Record<string, unknown>[])[0]!.rank = 0;
    expect(rejection(patient).path).toBe('Patient.telecom[0].rank');
    const note = example('DocumentReference');
    (note.content as { attachment: Record<string, unknown> }[])[0]!.attachment.data = 'not base64!';
    expect(rejection(note).path).toBe('DocumentReference.content[0].attachment.data');
  });

  it('rejects an unknown or missing resourceType, and input that is not an object', () => {
    expect(rejection({ ...example('Patient'), resourceType: 'Medication' }).message).toBe(
      'resourceType: not a resource type Wardline supports',
    );
    expect(rejection({ ...example('Patient'), resourceType: SECRET }).message).not.toContain(SECRET);
    const { resourceType: _dropped, ...untyped } = example('Patient');
    expect(rejection(untyped).message).toBe('resourceType: required');
    expect(rejection({ resourceType: 42 }).message).toBe('resourceType: expected a string');
    expect(rejection(null).message).toBe('resource: expected a JSON object');
    expect(rejection([example('Patient')]).message).toBe('resource: expected a JSON object');
    expect(rejection({ resourceType: 'Medication' }).resourceType).toBeUndefined();
  });
});

describe('error messages never echo patient data', () => {
  const placements: [string, (r: Record<string, unknown>) => void][] = [
    ['a family name where an array belongs', (r) => (r.name = SECRET)],
    ['a name part of the wrong type', (r) => (r.name = [{ family: [SECRET] }])],
    ['an MRN as a malformed id', (r) => (r.id = SECRET + ' x')],
    ['a value as a gender code', (r) => (r.gender = SECRET)],
    ['a value as a birth date', (r) => (r.birthDate = SECRET)],
    ['a value as an identifier system with spaces', (r) => (r.identifier = [{ system: `${SECRET} ${SECRET}`, value: SECRET }])],
    ['a value inside a choice', (r) => (r.deceasedDateTime = SECRET)],
    ['two choice values', (r) => ((r.deceasedDateTime = SECRET), (r.deceasedBoolean = true))],
  ];
  it.each(placements)('with %s', (_name, corrupt) => {
    const resource = example('Patient');
    corrupt(resource);
    const error = rejection(resource);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('Zebulon');
    expect(error.path).not.toContain('Zebulon');
    expect(JSON.stringify(error)).not.toContain('Zebulon');
  });
});

describe('isSupportedResourceType', () => {
  it('knows exactly the thirteen resource types Wardline exchanges', () => {
    expect(SUPPORTED_RESOURCE_TYPES).toHaveLength(13);
    for (const t of SUPPORTED_RESOURCE_TYPES) expect(isSupportedResourceType(t)).toBe(true);
    for (const t of ['Medication', 'Bundle', 'patient', '']) expect(isSupportedResourceType(t)).toBe(false);
  });
});

describe('the fast path and the zod schemas agree', () => {
  // validateResource answers "valid" from a compiled guard and only asks zod otherwise. Corrupting
  // valid resources at random must never get past the guard when zod would refuse them.
  const junk = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constant(''),
    fc.constant('x y'),
    fc.constant('2026-02-30'),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant([]),
    fc.constant({}),
    fc.string(),
  );

  function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
    if (typeof value !== 'object' || value === null) return out;
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      paths(child, path, out);
    }
    return out;
  }

  it('never accepts a corrupted resource that the full schema rejects', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUPPORTED_RESOURCE_TYPES), fc.nat(), junk, (type, pick, replacement) => {
        const resource = example(type);
        const all = paths(resource).filter((p) => p[0] !== 'resourceType');
        const path = all[pick % all.length]!;
        let parent: Record<string | number, unknown> = resource;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]!] = replacement;
        const schemaSays = schemaFor(type).safeParse(resource).success;
        const guardSays = guardFor(type)(resource);
        // The guard must never say yes where zod says no; saying no where zod says yes would only
        // send valid resources down the slow path, and does not happen either.
        expect(guardSays).toBe(schemaSays);
        if (!schemaSays) expect(() => validateResource(resource)).toThrow(FhirValidationError);
      }),
      { numRuns: 3000, seed: 20260115 },
    );
  });
});
