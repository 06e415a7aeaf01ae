// The vital signs as Wardline writes them in FHIR: each one's LOINC code, display, UCUM unit
// (Quantity.code, system http://unitsofmeasure.org) and the unit people read (Quantity.unit), and the
// entry field whose range it takes. The workstation builds its Observations from this table, the
// synthetic ward charts with it, and the hub checks every Observation a workstation sends against it.
import { VITAL_SIGN_CODES } from './news2-observations.js';
import type { VitalNumberField } from './vital-ranges.js';

export interface VitalSignDefinition {
  readonly code: string;
  readonly display: string;
  /** UCUM code (Quantity.code). */
  readonly unit: string;
  /** Unit as shown to people (Quantity.unit). */
  readonly unitText: string;
}

export const HEART_RATE = { code: VITAL_SIGN_CODES.heartRate, display: 'Heart rate', unit: '/min', unitText: 'beats/minute' } as const;
export const RESPIRATORY_RATE = {
  code: VITAL_SIGN_CODES.respiratoryRate,
  display: 'Respiratory rate',
  unit: '/min',
  unitText: 'breaths/minute',
} as const;
export const BODY_TEMPERATURE = { code: VITAL_SIGN_CODES.temperature, display: 'Body temperature', unit: 'Cel', unitText: '°C' } as const;
export const OXYGEN_SATURATION = {
  code: VITAL_SIGN_CODES.oxygenSaturation,
  display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
  unit: '%',
  unitText: '%',
} as const;
export const PAIN_SCORE = {
  code: VITAL_SIGN_CODES.painScore,
  display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
  unit: '{score}',
  unitText: 'score',
} as const;
export const OXYGEN_FLOW = {
  code: VITAL_SIGN_CODES.oxygenFlow,
  display: 'Inhaled oxygen flow rate',
  unit: 'L/min',
  unitText: 'L/min',
} as const;
export const BLOOD_PRESSURE = {
  code: VITAL_SIGN_CODES.bloodPressurePanel,
  display: 'Blood pressure panel with all children optional',
  unit: 'mm[Hg]',
  unitText: 'mmHg',
} as const;
export const SYSTOLIC_BP = {
  code: VITAL_SIGN_CODES.systolic,
  display: 'Systolic blood pressure',
  unit: 'mm[Hg]',
  unitText: 'mmHg',
} as const;
export const DIASTOLIC_BP = {
  code: VITAL_SIGN_CODES.diastolic,
  display: 'Diastolic blood pressure',
  unit: 'mm[Hg]',
  unitText: 'mmHg',
} as const;

/** The vital signs charted with one measured value, by LOINC code: their definition and the range they take. */
export const SINGLE_VALUE_VITALS: Readonly<Record<string, { readonly definition: VitalSignDefinition; readonly field: VitalNumberField }>> =
  {
    [HEART_RATE.code]: { definition: HEART_RATE, field: 'heartRate' },
    [RESPIRATORY_RATE.code]: { definition: RESPIRATORY_RATE, field: 'respiratoryRate' },
    [BODY_TEMPERATURE.code]: { definition: BODY_TEMPERATURE, field: 'temperatureCelsius' },
    [OXYGEN_SATURATION.code]: { definition: OXYGEN_SATURATION, field: 'oxygenSaturation' },
    [PAIN_SCORE.code]: { definition: PAIN_SCORE, field: 'painScore' },
    [OXYGEN_FLOW.code]: { definition: OXYGEN_FLOW, field: 'oxygenFlowLitresPerMinute' },
  };

/** Breathing air is charted as an oxygen flow of 0 L/min, so NEWS2 reads "air or oxygen" from one code. */
export const AIR_FLOW_LITRES_PER_MINUTE = 0;
