// The "Record vital signs" form's fields and its check. Values are typed as text and read by the
// workstation's locale ("37,2" and "37.2" both 37.2; "1,000" refused as ambiguous), then checked by
// the same physiological ranges and cross-field rules the host applies (shared/vital-signs): HR > 0,
// diastolic below systolic, SpO2 ≤ 100, an oxygen flow exactly when on oxygen. While the nurse types,
// each value shows its abnormal flag and the set its NEWS2 with the escalation band.
import type { VitalSignsEntryData } from '../../../../shared/contract/index.js';
import {
  VITAL_RANGES,
  isFlaggedVital,
  news2,
  parseDecimal,
  vitalFlag,
  consciousnessFlag,
  vitalProblems,
  vitalSignsEntrySchema,
  type Consciousness,
  type News2Score,
  type VitalFlag,
  type VitalNumberField,
} from '../../../../shared/vital-signs/index.js';

export type VitalField = VitalNumberField;

export interface VitalFieldDefinition {
  readonly key: VitalField;
  readonly label: string;
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** Decimal places allowed (0: whole numbers). */
  readonly decimals: number;
}

const definition = (key: VitalField): VitalFieldDefinition => ({ key, ...VITAL_RANGES[key] });

/** The numeric fields in the order of the form (the oxygen flow sits with "air or oxygen"). */
export const VITAL_FIELDS: readonly VitalFieldDefinition[] = (
  ['respiratoryRate', 'oxygenSaturation', 'systolic', 'diastolic', 'heartRate', 'temperatureCelsius', 'painScore'] as const
).map(definition);
export const OXYGEN_FLOW_FIELD: VitalFieldDefinition = definition('oxygenFlowLitresPerMinute');

/** What the form holds: each number as typed, air or oxygen, and ACVPU; null when not recorded. */
export interface VitalsFormValues {
  readonly texts: Partial<Record<VitalField, string>>;
  readonly onOxygen: boolean | null;
  readonly consciousness: Consciousness | null;
}

export const EMPTY_VITALS: VitalsFormValues = { texts: {}, onOxygen: null, consciousness: null };

export type VitalsFieldKey = VitalField | 'onOxygen';

export type VitalsCheck =
  | { readonly ok: true; readonly entry: VitalSignsEntryData }
  | { readonly ok: false; readonly fieldErrors: Partial<Record<VitalsFieldKey, string>>; readonly formError: string | null };

/** The order fields are checked and focused in after a failed save. */
export const FIELD_ORDER: readonly VitalsFieldKey[] = [
  'respiratoryRate',
  'oxygenSaturation',
  'onOxygen',
  'oxygenFlowLitresPerMinute',
  'systolic',
  'diastolic',
  'heartRate',
  'temperatureCelsius',
  'painScore',
];

/** How far ahead of the workstation clock a time may be (clock drift between devices). */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

interface Reading {
  readonly values: Partial<Record<VitalField, number>>;
  readonly errors: Partial<Record<VitalField, string>>;
}

function readNumbers(texts: VitalsFormValues['texts'], locale: string): Reading {
  const values: Partial<Record<VitalField, number>> = {};
  const errors: Partial<Record<VitalField, string>> = {};
  for (const key of Object.keys(texts) as VitalField[]) {
    const text = texts[key]?.trim() ?? '';
    if (text === '') continue;
    const reading = parseDecimal(text, locale);
    if (reading.ok) values[key] = reading.value;
    else errors[key] = `${VITAL_RANGES[key].label}: ${reading.message}`;
  }
  return { values, errors };
}

/** The first field in error, in the form's order, or null. */
export function firstFieldInError(errors: Partial<Record<VitalsFieldKey, string>>): VitalsFieldKey | null {
  return FIELD_ORDER.find((key) => errors[key] !== undefined) ?? null;
}

export function checkVitals(form: VitalsFormValues, effectiveAt: Date | null, now: Date, locale: string): VitalsCheck {
  const { values, errors } = readNumbers(form.texts, locale);
  const fieldErrors: Partial<Record<VitalsFieldKey, string>> = { ...errors };
  const candidate = {
    ...values,
    ...(form.onOxygen === null ? {} : { onOxygen: form.onOxygen }),
    ...(form.consciousness === null ? {} : { consciousness: form.consciousness }),
  };
  for (const problem of vitalProblems(candidate)) fieldErrors[problem.field] ??= problem.message;
  const anyValue = Object.keys(values).length > 0 || form.consciousness !== null || Object.keys(errors).length > 0;
  let formError: string | null = anyValue ? null : 'Enter at least one vital sign.';
  const at = effectiveAt ?? now;
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    formError = 'The time of the measurement is in the future. Check the date and time.';
  if (formError !== null || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors, formError };
  const parsed = vitalSignsEntrySchema.safeParse({ ...candidate, effectiveAt: at.toISOString() });
  if (!parsed.success) return { ok: false, fieldErrors: {}, formError: parsed.error.issues[0]?.message ?? 'These values cannot be saved.' };
  return { ok: true, entry: parsed.data };
}

export interface VitalsPreview {
  /** The abnormal flag of each value that reads as a number; normal values carry none. */
  readonly flags: Partial<Record<VitalField | 'consciousness', VitalFlag>>;
  /** NEWS2 of what is entered so far; null while no scored value is entered. */
  readonly news2: News2Score | null;
}

/** Flags and NEWS2 of the form as typed (unreadable values are left out; the check names them). */
export function vitalsPreview(form: VitalsFormValues, locale: string): VitalsPreview {
  const { values } = readNumbers(form.texts, locale);
  const flags: Partial<Record<VitalField | 'consciousness', VitalFlag>> = {};
  for (const key of Object.keys(values) as VitalField[]) {
    const value = values[key];
    if (value === undefined || !isFlaggedVital(key)) continue;
    const flag = vitalFlag(key, value);
    if (flag.level !== 'normal') flags[key] = flag;
  }
  if (form.consciousness !== null) {
    const flag = consciousnessFlag(form.consciousness);
    if (flag.level !== 'normal') flags.consciousness = flag;
  }
  const score = news2({
    ...values,
    ...(form.onOxygen === null ? {} : { onOxygen: form.onOxygen }),
    ...(form.consciousness === null ? {} : { consciousness: form.consciousness }),
  });
  return { flags, news2: score.missing.length === 7 ? null : score };
}
