import { describe, expect, it } from 'vitest';
import { validateResource, type Resource } from '../../shared/fhir/index.js';
import { resourceRow } from './resource-columns.js';

function row(resource: Record<string, unknown>) {
  return resourceRow(validateResource(resource) as Resource & { id: string });
}

describe('the indexed columns of a stored resource', () => {
  it('indexes an observation by patient, category, system|code, effective time and status', () => {
    expect(
      row({
        resourceType: 'Observation',
        id: 'o1',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2823-3' }, { code: 'K' }] },
        valueQuantity: { value: 4.1, unit: 'mmol/L', code: 'mmol/L' },
        subject: { reference: 'Patient/p1' },
        effectivePeriod: { start: '2024-03-01T10:00:00+01:00' },
        meta: { versionId: '2', lastUpdated: '2024-03-01T09:05:00Z' },
      }),
    ).toMatchObject({
      type: 'Observation',
      id: 'o1',
      patientId: 'p1',
      category: 'laboratory',
      code: 'http://loinc.org|2823-3',
      effectiveMs: Date.parse('2024-03-01T09:00:00Z'),
      status: 'final',
      versionId: '2',
      lastUpdated: '2024-03-01T09:05:00Z',
      valueNum: 4.1,
      valueUnit: 'mmol/L',
    });
  });

  it('takes the time that matters for each type', () => {
    expect(
      row({
        resourceType: 'Condition',
        id: 'c1',
        subject: { reference: 'Patient/p1' },
        recordedDate: '2023-05-02',
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { coding: [{ code: '38341003' }] },
      }),
    ).toMatchObject({ effectiveMs: Date.parse('2023-05-02'), status: 'active', code: '38341003' });
    expect(
      row({
        resourceType: 'DocumentReference',
        id: 'd1',
        status: 'current',
        subject: { reference: 'Patient/p1' },
        date: '2024-01-01T12:00:00Z',
        content: [{ attachment: { contentType: 'text/plain' } }],
      }),
    ).toMatchObject({ effectiveMs: Date.parse('2024-01-01T12:00:00Z'), patientId: 'p1' });
    expect(
      row({
        resourceType: 'MedicationAdministration',
        id: 'a1',
        status: 'completed',
        subject: { reference: 'Patient/p1' },
        medicationCodeableConcept: { coding: [{ code: '197361' }] },
        effectiveDateTime: '2024-02-02T08:00:00Z',
      }),
    ).toMatchObject({ effectiveMs: Date.parse('2024-02-02T08:00:00Z'), code: '197361', status: 'completed' });
    expect(
      row({ resourceType: 'AllergyIntolerance', id: 'al1', patient: { reference: 'Patient/p1' }, category: ['medication'] }),
    ).toMatchObject({ patientId: 'p1', category: 'medication', effectiveMs: null, valueNum: null, versionId: null, lastUpdated: null });
    expect(row({ resourceType: 'Location', id: 'w1', name: 'Ward' })).toMatchObject({ patientId: null, effectiveMs: null });
  });
});
