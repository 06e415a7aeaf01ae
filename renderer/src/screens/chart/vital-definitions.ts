// The vital signs the chart plots (LOINC codes as the hub stores them), their plain names and units,
// and the blood-pressure panel's components.

export interface VitalDefinition {
  readonly code: string;
  readonly label: string;
  readonly unit: string;
  /** For a panel (blood pressure): the component codes plotted as lines, with their names. */
  readonly components?: readonly { readonly code: string; readonly key: 'systolic' | 'diastolic'; readonly label: string }[];
  /** Whole numbers (heart rate) or one decimal (temperature). */
  readonly decimals: number;
}

export const SYSTOLIC_CODE = '8480-6';
export const DIASTOLIC_CODE = '8462-4';
export const BLOOD_PRESSURE_CODE = '85354-9';

export const PLOTTED_VITALS: readonly VitalDefinition[] = [
  { code: '8867-4', label: 'Heart rate', unit: 'beats/min', decimals: 0 },
  { code: '9279-1', label: 'Respiratory rate', unit: 'breaths/min', decimals: 0 },
  {
    code: BLOOD_PRESSURE_CODE,
    label: 'Blood pressure',
    unit: 'mmHg',
    decimals: 0,
    components: [
      { code: SYSTOLIC_CODE, key: 'systolic', label: 'Systolic' },
      { code: DIASTOLIC_CODE, key: 'diastolic', label: 'Diastolic' },
    ],
  },
  { code: '8310-5', label: 'Temperature', unit: '°C', decimals: 1 },
  { code: '59408-5', label: 'Oxygen saturation (SpO2)', unit: '%', decimals: 0 },
  { code: '72514-3', label: 'Pain score', unit: 'out of 10', decimals: 0 },
];

/** Plain names for vital-sign codes the summary may list beyond the plotted ones. */
const OTHER_NAMES: Readonly<Record<string, string>> = {
  [SYSTOLIC_CODE]: 'Systolic blood pressure',
  [DIASTOLIC_CODE]: 'Diastolic blood pressure',
  '3151-8': 'Oxygen flow',
  '9269-2': 'Glasgow coma score',
  '29463-7': 'Body weight',
};

/** The bare code of a stored code ("http://loinc.org|8867-4" → "8867-4"). */
export function bareCode(code: string): string {
  const bar = code.lastIndexOf('|');
  return bar === -1 ? code : code.slice(bar + 1);
}

/** A plain name for a vital-sign code, else the display the hub sent, else the code. */
export function vitalName(code: string, display: string | null): string {
  const bare = bareCode(code);
  return PLOTTED_VITALS.find((v) => v.code === bare)?.label ?? OTHER_NAMES[bare] ?? display ?? bare;
}
