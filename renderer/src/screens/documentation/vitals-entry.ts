// The "Record vital signs" form's fields and its check: the same ranges as the contract's
// vitalSignsEntrySchema (a unit test keeps them equal), blood pressure needs both values, at least
// one value, and a time that is not in the future. Produces what chart:record-vitals takes.
import { vitalSignsEntrySchema, type VitalSignsEntryData } from '../../../../shared/contract/index.js';

export type VitalField =
  'heartRate' | 'respiratoryRate' | 'systolic' | 'diastolic' | 'temperatureCelsius' | 'oxygenSaturation' | 'painScore';

export interface VitalFieldDefinition {
  readonly key: VitalField;
  readonly label: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** Decimal places allowed (0: whole numbers). */
  readonly decimals: number;
}

export const VITAL_FIELDS: readonly VitalFieldDefinition[] = [
  { key: 'heartRate', label: 'Heart rate', unit: 'beats per minute', min: 0, max: 350, decimals: 0 },
  { key: 'respiratoryRate', label: 'Respiratory rate', unit: 'breaths per minute', min: 0, max: 120, decimals: 0 },
  { key: 'systolic', label: 'Systolic blood pressure', unit: 'mmHg', min: 0, max: 350, decimals: 0 },
  { key: 'diastolic', label: 'Diastolic blood pressure', unit: 'mmHg', min: 0, max: 250, decimals: 0 },
  { key: 'temperatureCelsius', label: 'Temperature', unit: '°C', min: 25, max: 46, decimals: 1 },
  { key: 'oxygenSaturation', label: 'Oxygen saturation (SpO2)', unit: '%', min: 0, max: 100, decimals: 0 },
  { key: 'painScore', label: 'Pain score', unit: '0 to 10', min: 0, max: 10, decimals: 0 },
];

/** Values as typed; NaN or undefined is an empty field. */
export type VitalValues = Partial<Record<VitalField, number>>;

export type VitalsCheck =
  | { readonly ok: true; readonly entry: VitalSignsEntryData }
  | { readonly ok: false; readonly fieldErrors: Partial<Record<VitalField, string>>; readonly formError: string | null };

/** How far ahead of the workstation clock a time may be (clock drift between devices). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

const filled = (value: number | undefined): value is number => value !== undefined && !Number.isNaN(value);

function fieldProblem(field: VitalFieldDefinition, value: number): string | null {
  if (value < field.min || value > field.max) return `${field.label} must be between ${field.min} and ${field.max}.`;
  if (field.decimals === 0 && !Number.isInteger(value)) return `${field.label} must be a whole number.`;
  return null;
}

export function checkVitals(values: VitalValues, effectiveAt: Date | null, now: Date): VitalsCheck {
  const fieldErrors: Partial<Record<VitalField, string>> = {};
  const entry: Record<string, unknown> = {};
  for (const field of VITAL_FIELDS) {
    const value = values[field.key];
    if (!filled(value)) continue;
    const problem = fieldProblem(field, value);
    if (problem !== null) fieldErrors[field.key] = problem;
    else entry[field.key] = field.decimals === 0 ? value : Math.round(value * 10 ** field.decimals) / 10 ** field.decimals;
  }
  if (filled(values.systolic) !== filled(values.diastolic)) {
    const missing: VitalField = filled(values.systolic) ? 'diastolic' : 'systolic';
    fieldErrors[missing] ??= 'Blood pressure needs both the systolic and the diastolic value.';
  }
  const anyValue = VITAL_FIELDS.some((field) => filled(values[field.key]));
  let formError: string | null = anyValue ? null : 'Enter at least one vital sign.';
  const at = effectiveAt ?? now;
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    formError = 'The time of the measurement is in the future. Check the date and time.';
  if (formError !== null || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, formError };
  entry.effectiveAt = at.toISOString();
  const parsed = vitalSignsEntrySchema.safeParse(entry);
  if (!parsed.success) return { ok: false, fieldErrors: {}, formError: 'These values cannot be saved. Check each field.' };
  return { ok: true, entry: parsed.data };
}
