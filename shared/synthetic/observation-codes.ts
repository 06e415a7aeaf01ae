// The LOINC codes the generator charts, with their UCUM units: the vital-signs round (every 4 h,
// hourly while a patient is unwell) plus daily weight, and the daily morning labs with their
// reference ranges. The vital signs Wardline documents are shared/vital-signs' (the same FHIR form
// the workstation writes); the generator adds the GCS and the weight.

import {
  HEART_RATE,
  RESPIRATORY_RATE,
  BODY_TEMPERATURE,
  OXYGEN_SATURATION,
  BLOOD_PRESSURE,
  SYSTOLIC_BP,
  DIASTOLIC_BP,
  PAIN_SCORE,
  OXYGEN_FLOW,
  type VitalSignDefinition,
} from '../vital-signs/index.js';

export {
  HEART_RATE,
  RESPIRATORY_RATE,
  BODY_TEMPERATURE,
  OXYGEN_SATURATION,
  BLOOD_PRESSURE,
  SYSTOLIC_BP,
  DIASTOLIC_BP,
  PAIN_SCORE,
  OXYGEN_FLOW,
  type VitalSignDefinition,
};
export const GLASGOW_COMA_SCORE = { code: '9269-2', display: 'Glasgow coma score total', unit: '{score}', unitText: 'score' } as const;
export const BODY_WEIGHT = { code: '29463-7', display: 'Body weight', unit: 'kg', unitText: 'kg' } as const;

/** Every vital sign the generator charts (category vital-signs). BLOOD_PRESSURE carries SYSTOLIC_BP and
 * DIASTOLIC_BP as components; BODY_WEIGHT is charted once a day, the others at every round. */
export const VITAL_SIGNS: readonly VitalSignDefinition[] = [
  HEART_RATE,
  RESPIRATORY_RATE,
  BODY_TEMPERATURE,
  OXYGEN_SATURATION,
  BLOOD_PRESSURE,
  SYSTOLIC_BP,
  DIASTOLIC_BP,
  PAIN_SCORE,
  OXYGEN_FLOW,
  GLASGOW_COMA_SCORE,
  BODY_WEIGHT,
];

export type LabKey = 'sodium' | 'potassium' | 'creatinine' | 'glucose' | 'hemoglobin' | 'wbc' | 'platelets';

export interface LabTestDefinition {
  readonly key: LabKey;
  readonly code: string;
  readonly display: string;
  readonly unit: string;
  readonly unitText: string;
  /** Reference range [low, high] by administrative gender. */
  readonly range: { readonly female: readonly [number, number]; readonly male: readonly [number, number] };
  readonly decimals: number;
}

/** The morning labs (category laboratory), drawn daily at about 06:00. */
export const LAB_TESTS: readonly LabTestDefinition[] = [
  {
    key: 'sodium',
    code: '2951-2',
    display: 'Sodium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    unitText: 'mmol/L',
    range: { female: [135, 145], male: [135, 145] },
    decimals: 0,
  },
  {
    key: 'potassium',
    code: '2823-3',
    display: 'Potassium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    unitText: 'mmol/L',
    range: { female: [3.5, 5.1], male: [3.5, 5.1] },
    decimals: 1,
  },
  {
    key: 'creatinine',
    code: '2160-0',
    display: 'Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    unitText: 'mg/dL',
    range: { female: [0.5, 1.1], male: [0.7, 1.3] },
    decimals: 2,
  },
  {
    key: 'glucose',
    code: '2345-7',
    display: 'Glucose [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    unitText: 'mg/dL',
    range: { female: [70, 99], male: [70, 99] },
    decimals: 0,
  },
  {
    key: 'hemoglobin',
    code: '718-7',
    display: 'Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    unitText: 'g/dL',
    range: { female: [12.0, 15.5], male: [13.5, 17.5] },
    decimals: 1,
  },
  {
    key: 'wbc',
    code: '6690-2',
    display: 'Leukocytes [#/volume] in Blood by Automated count',
    unit: '10*3/uL',
    unitText: '10^3/µL',
    range: { female: [4.5, 11.0], male: [4.5, 11.0] },
    decimals: 1,
  },
  {
    key: 'platelets',
    code: '777-3',
    display: 'Platelets [#/volume] in Blood by Automated count',
    unit: '10*3/uL',
    unitText: '10^3/µL',
    range: { female: [150, 400], male: [150, 400] },
    decimals: 0,
  },
];
