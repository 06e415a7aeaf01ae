import type { Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { PATIENT_OWNED_TYPES, SUPPORTED_RESOURCE_TYPES, isPatientOwnedType, patientIdOf, referenceId } from './index.js';
import { VALID_EXAMPLES } from './test-examples.js';

const PATIENT_ID = '7b0f2c1e-5d2a-4e61-9c3f-0a1b2c3d4e5f';

describe('referenceId', () => {
  it('reads the id of a relative, versioned or absolute reference of the asked type', () => {
    expect(referenceId('Patient/123', 'Patient')).toBe('123');
    expect(referenceId('Patient/a.b-C', 'Patient')).toBe('a.b-C');
    expect(referenceId('Patient/123/_history/4', 'Patient')).toBe('123');
    expect(referenceId('https://hub.example/fhir/Patient/123', 'Patient')).toBe('123');
    expect(referenceId('https://hub.example/fhir/Patient/123/_history/2', 'Patient')).toBe('123');
  });

  it('returns undefined for anything that is not a plain reference to that type', () => {
    for (const ref of [
      undefined,
      '',
      'Patient',
      'Patient/',
      'Encounter/123',
      'patient/123',
      '#contained',
      'urn:uuid:7b0f2c1e-5d2a-4e61-9c3f-0a1b2c3d4e5f',
      'Group/Patient/123',
      'Patient/12 3',
      'Patient/123/extra',
      `Patient/${'x'.repeat(65)}`,
    ]) {
      expect(referenceId(ref, 'Patient')).toBeUndefined();
    }
  });
});

describe('patientIdOf', () => {
  it.each(SUPPORTED_RESOURCE_TYPES.filter((t) => t !== 'Location' && t !== 'Practitioner'))('finds the patient a %s belongs to', (type) => {
    expect(patientIdOf(VALID_EXAMPLES[type])).toBe(PATIENT_ID);
  });

  it('says a Location or Practitioner belongs to no patient', () => {
    expect(patientIdOf(VALID_EXAMPLES.Location)).toBeUndefined();
    expect(patientIdOf(VALID_EXAMPLES.Practitioner)).toBeUndefined();
  });

  it('finds a patient for exactly the patient-owned types (and the Patient itself)', () => {
    for (const type of SUPPORTED_RESOURCE_TYPES) {
      const owned = type !== 'Patient' && PATIENT_OWNED_TYPES.includes(type as (typeof PATIENT_OWNED_TYPES)[number]);
      expect(isPatientOwnedType(type), type).toBe(owned);
      expect(patientIdOf(VALID_EXAMPLES[type]) !== undefined, type).toBe(owned || type === 'Patient');
    }
  });

  it('ignores subjects that are not patients, and takes the first Patient target or entity', () => {
    const groupObservation = { ...VALID_EXAMPLES.Observation, subject: { reference: 'Group/ward-cohort' } } as Resource;
    expect(patientIdOf(groupObservation)).toBeUndefined();
    const provenance = {
      ...VALID_EXAMPLES.Provenance,
      target: [{ reference: 'Observation/1' }, { reference: 'Patient/first' }, { reference: 'Patient/second' }],
    } as Resource;
    expect(patientIdOf(provenance)).toBe('first');
    const audit = { ...VALID_EXAMPLES.AuditEvent, entity: [{ query: 'eA==' }, { what: { reference: 'Patient/p1' } }] } as Resource;
    expect(patientIdOf(audit)).toBe('p1');
    expect(patientIdOf({ ...VALID_EXAMPLES.AuditEvent, entity: undefined } as Resource)).toBeUndefined();
  });
});
