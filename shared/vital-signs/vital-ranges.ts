// The values a vital-signs entry may hold: the physiological range of each field (outside it the
// value is a typing slip or a device error, not a measurement), its unit and decimals, and the
// checks across fields. The contract's entry schema, the host and the form all use these.

export const VITAL_FIELD_KEYS = [
  'heartRate',
  'respiratoryRate',
  'systolic',
  'diastolic',
  'temperatureCelsius',
  'oxygenSaturation',
  'oxygenFlowLitresPerMinute',
  'painScore',
] as const;
export type VitalNumberField = (typeof VITAL_FIELD_KEYS)[number];

export interface VitalRange {
  readonly label: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** Decimal places allowed (0: whole numbers). */
  readonly decimals: number;
}

/** Physiological limits a live, measured patient stays within; wider than any alarm limit. */
export const VITAL_RANGES: Readonly<Record<VitalNumberField, VitalRange>> = {
  heartRate: { label: 'Heart rate', unit: 'beats per minute', min: 20, max: 300, decimals: 0 },
  respiratoryRate: { label: 'Respiratory rate', unit: 'breaths per minute', min: 2, max: 80, decimals: 0 },
  systolic: { label: 'Systolic blood pressure', unit: 'mmHg', min: 40, max: 300, decimals: 0 },
  diastolic: { label: 'Diastolic blood pressure', unit: 'mmHg', min: 10, max: 200, decimals: 0 },
  temperatureCelsius: { label: 'Temperature', unit: '°C', min: 25, max: 45, decimals: 1 },
  oxygenSaturation: { label: 'Oxygen saturation (SpO2)', unit: '%', min: 50, max: 100, decimals: 0 },
  oxygenFlowLitresPerMinute: { label: 'Oxygen flow', unit: 'L/min', min: 0.5, max: 60, decimals: 1 },
  painScore: { label: 'Pain score', unit: '0 to 10', min: 0, max: 10, decimals: 0 },
};

export interface VitalValuesToCheck {
  readonly heartRate?: number | undefined;
  readonly respiratoryRate?: number | undefined;
  readonly systolic?: number | undefined;
  readonly diastolic?: number | undefined;
  readonly temperatureCelsius?: number | undefined;
  readonly oxygenSaturation?: number | undefined;
  readonly oxygenFlowLitresPerMinute?: number | undefined;
  readonly painScore?: number | undefined;
  readonly onOxygen?: boolean | undefined;
}

export interface VitalProblem {
  /** The field to correct (a cross-field problem names the field the nurse most likely mistyped). */
  readonly field: VitalNumberField | 'onOxygen';
  readonly message: string;
}

/** Why one value cannot be a measurement, or null. */
export function vitalValueProblem(field: VitalNumberField, value: number): string | null {
  const range = VITAL_RANGES[field];
  if (!Number.isFinite(value)) return `${range.label} must be a number.`;
  if (value <= 0 && (field === 'heartRate' || field === 'respiratoryRate'))
    return `${range.label} must be above 0. A patient without a pulse or breathing needs the resuscitation call, not a chart entry.`;
  if (value < range.min || value > range.max)
    return `${range.label} ${value} ${range.unit} is outside what can be measured (${range.min} to ${range.max}). Check the value.`;
  if (range.decimals === 0 && !Number.isInteger(value)) return `${range.label} must be a whole number.`;
  const scaled = value * 10 ** range.decimals;
  if (Math.abs(scaled - Math.round(scaled)) > 1e-6) return `${range.label} takes at most ${range.decimals} decimal place.`;
  return null;
}

/** Every problem of a set: each value's range, and the rules across fields. */
export function vitalProblems(values: VitalValuesToCheck): VitalProblem[] {
  const problems: VitalProblem[] = [];
  for (const field of VITAL_FIELD_KEYS) {
    const value = values[field];
    if (value === undefined) continue;
    const message = vitalValueProblem(field, value);
    if (message !== null) problems.push({ field, message });
  }
  const { systolic, diastolic } = values;
  if ((systolic === undefined) !== (diastolic === undefined))
    problems.push({
      field: systolic === undefined ? 'systolic' : 'diastolic',
      message: 'Blood pressure needs both the systolic and the diastolic value.',
    });
  else if (systolic !== undefined && diastolic !== undefined && diastolic >= systolic)
    problems.push({
      field: 'diastolic',
      message: `The diastolic pressure (${diastolic}) must be below the systolic (${systolic}). Check whether the two were swapped.`,
    });
  const flow = values.oxygenFlowLitresPerMinute;
  if (values.onOxygen === true && flow === undefined)
    problems.push({ field: 'oxygenFlowLitresPerMinute', message: 'Enter the oxygen flow (L/min) the patient is on.' });
  if (values.onOxygen !== true && flow !== undefined)
    problems.push({ field: 'onOxygen', message: 'An oxygen flow was entered: mark the patient as on oxygen, or clear the flow.' });
  return problems;
}
