// What a correction makes of a recorded vital sign or dose, as FHIR: the status, the value, and the
// note naming the earlier value, the reason and who; and what it refuses, with a sentence to act on.
import { describe, expect, it } from 'vitest';
import type { MedicationAdministration, Observation } from '../../shared/fhir/index.js';
import type { AmendmentRequestData } from '../../shared/contract/index.js';
import { unmarkedCorrection } from '../../shared/fhir/index.js';
import { vitalObservationProblem } from '../../shared/vital-signs/index.js';
import { amendedResource, recordedEntryOf } from './amendment.js';

const NOW = '2026-01-15T10:00:00.000Z';
const AUTHOR = { reference: 'Practitioner/u-nurse-1', display: 'nina' };
const VITAL_SIGNS = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];

const heartRate: Observation = {
  resourceType: 'Observation',
  id: 'hr-1',
  status: 'final',
  category: VITAL_SIGNS,
  code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
  subject: { reference: 'Patient/p-1' },
  effectiveDateTime: '2026-01-15T08:00:00Z',
  valueQuantity: { value: 59, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
};

const bloodPressure: Observation = {
  ...heartRate,
  id: 'bp-1',
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  valueQuantity: undefined,
  component: [
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: { value: 120, unit: 'mmHg' } },
    { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: { value: 80, unit: 'mmHg' } },
  ],
};
delete bloodPressure.valueQuantity;

const dose: MedicationAdministration = {
  resourceType: 'MedicationAdministration',
  id: 'ma-1',
  status: 'completed',
  medicationCodeableConcept: { text: 'Metformin 500 mg tablet' },
  subject: { reference: 'Patient/p-1' },
  effectiveDateTime: '2026-01-15T08:00:00Z',
  dosage: { dose: { value: 500, unit: 'mg' } },
};

const ref = { patientId: 'p-1', versionId: '1' } as const;
const correct = (resource: Observation, values: Record<string, number>, reason: AmendmentRequestData['reason'] = 'wrong-value') =>
  ({ ...ref, resourceType: 'Observation', id: resource.id!, action: 'correct', reason, values }) as AmendmentRequestData;

describe('correcting a vital sign', () => {
  it('becomes "corrected" with the new value and a note naming the earlier value, the reason and who', () => {
    const amended = amendedResource(heartRate, correct(heartRate, { value: 88 }), AUTHOR, NOW) as Observation;
    expect(amended.status).toBe('corrected');
    expect(amended.valueQuantity?.value).toBe(88);
    expect(amended.note).toEqual([
      {
        authorReference: AUTHOR,
        time: NOW,
        text: 'Corrected from 59 beats/minute to 88 beats/minute. Reason: Wrong value typed.',
      },
    ]);
    expect(amended.id).toBe(heartRate.id);
  });

  it('corrects both values of a blood pressure, checked across fields', () => {
    const amended = amendedResource(bloodPressure, correct(bloodPressure, { systolic: 132, diastolic: 84 }), AUTHOR, NOW) as Observation;
    expect(amended.component?.map((c) => c.valueQuantity?.value)).toEqual([132, 84]);
    expect(amended.note?.[0]?.text).toBe('Corrected from 120/80 mmHg to 132/84 mmHg. Reason: Wrong value typed.');
    expect(() => amendedResource(bloodPressure, correct(bloodPressure, { systolic: 80, diastolic: 90 }), AUTHOR, NOW)).toThrow(
      /diastolic/i,
    );
    expect(() => amendedResource(bloodPressure, correct(bloodPressure, { systolic: 130 }), AUTHOR, NOW)).toThrow(/both/);
  });

  it('refuses an impossible value, the same value, and "other" without a note', () => {
    expect(() => amendedResource(heartRate, correct(heartRate, { value: 0 }), AUTHOR, NOW)).toThrow(/above 0/);
    expect(() => amendedResource(heartRate, correct(heartRate, { value: 59 }), AUTHOR, NOW)).toThrow(/same/);
    expect(() => amendedResource(heartRate, correct(heartRate, { value: 60 }, 'other'), AUTHOR, NOW)).toThrow(/note/);
  });

  it('refuses a laboratory result and a reading already entered in error', () => {
    const lab = { ...heartRate, category: [{ coding: [{ code: 'laboratory' }] }] };
    expect(() => amendedResource(lab, correct(lab, { value: 60 }), AUTHOR, NOW)).toThrow(/laboratory/);
    const retracted = { ...heartRate, status: 'entered-in-error' as const };
    expect(() => amendedResource(retracted, correct(retracted, { value: 60 }), AUTHOR, NOW)).toThrow(/already/);
  });
});

describe('retracting', () => {
  it('marks a dose entered in error with the reason and her note, and refuses to edit its dose in place', () => {
    const request = {
      ...ref,
      resourceType: 'MedicationAdministration',
      id: 'ma-1',
      action: 'entered-in-error',
      reason: 'wrong-patient',
      note: 'Bed 4, not bed 7',
    } as const;
    const amended = amendedResource(dose, request, AUTHOR, NOW) as MedicationAdministration;
    expect(amended.status).toBe('entered-in-error');
    expect(amended.note?.[0]?.text).toBe('Entered in error. Reason: Documented on the wrong patient. Bed 4, not bed 7');
    expect(() =>
      amendedResource(dose, { ...request, action: 'correct', values: { value: 250 } } as AmendmentRequestData, AUTHOR, NOW),
    ).toThrow(/record the right dose/);
  });

  it('lists what each record may still be', () => {
    expect(recordedEntryOf(heartRate, '3')).toMatchObject({
      label: 'Heart rate',
      value: '59 beats/minute',
      canCorrect: true,
      fields: ['value'],
    });
    expect(recordedEntryOf(bloodPressure, '1')).toMatchObject({ label: 'Blood pressure', fields: ['systolic', 'diastolic'] });
    expect(recordedEntryOf(dose, '2')).toMatchObject({ value: '500 mg', canCorrect: false, canRetract: true, fields: [] });
    expect(recordedEntryOf({ ...dose, status: 'entered-in-error' }, '3')).toMatchObject({ canRetract: false });
  });
});

describe('what a correction makes, judged by the rules the hub enforces (shared/)', () => {
  it('carries the mark of a correction or a retraction, and a corrected vital sign stays plausible', () => {
    const amended = [
      amendedResource(heartRate, correct(heartRate, { value: 64 }), AUTHOR, NOW),
      amendedResource({ ...heartRate, status: 'corrected' }, correct(heartRate, { value: 66 }), AUTHOR, NOW),
      amendedResource(
        heartRate,
        { ...ref, resourceType: 'Observation', id: 'hr-1', action: 'entered-in-error', reason: 'duplicate' },
        AUTHOR,
        NOW,
      ),
      amendedResource(
        dose,
        { ...ref, resourceType: 'MedicationAdministration', id: 'ma-1', action: 'entered-in-error', reason: 'duplicate' },
        AUTHOR,
        NOW,
      ),
    ];
    for (const resource of amended) {
      const before = resource.resourceType === 'Observation' ? heartRate : dose;
      expect(unmarkedCorrection(before, resource)).toBeNull();
      if (resource.resourceType === 'Observation') expect(vitalObservationProblem(resource)).toBeNull();
    }
    // The same change without the mark is what the hub refuses.
    const keptFinal: Observation = { ...(amended[0] as Observation), status: 'final' };
    expect(unmarkedCorrection(heartRate, keptFinal)).not.toBeNull();
  });
});
