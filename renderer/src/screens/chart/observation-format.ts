// An observation's value as words: "120/80 mmHg" for a blood-pressure panel, "37.2 °C", units in
// the form people read them (UCUM "Cel" → "°C", "mm[Hg]" → "mmHg").
import { DIASTOLIC_CODE, SYSTOLIC_CODE, bareCode } from './vital-definitions.js';

const UNIT_TEXT: Readonly<Record<string, string>> = {
  Cel: '°C',
  'mm[Hg]': 'mmHg',
  '{score}': '',
  '/min': '/min',
  '{beats}/min': '/min',
  '{breaths}/min': '/min',
  '10*9/L': '×10⁹/L',
  '10*3/uL': '×10³/µL',
  'umol/L': 'µmol/L',
};

export function unitText(unit: string | null | undefined): string {
  if (unit === null || unit === undefined) return '';
  return UNIT_TEXT[unit] ?? unit;
}

export interface ObservationValueParts {
  readonly value: number | null;
  readonly valueText?: string | null;
  readonly unit: string | null;
  readonly components: readonly { readonly code: string; readonly value: number | null; readonly unit: string | null }[];
}

function numberText(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function withUnit(value: string, unit: string | null): string {
  const text = unitText(unit);
  if (text.length === 0) return value;
  return text === '%' || text === '°C' ? `${value} ${text}` : `${value} ${text}`;
}

/** The value to show, or "—" when the observation carries none. */
export function observationValueText(observation: ObservationValueParts): string {
  if (observation.value !== null) return withUnit(numberText(observation.value), observation.unit);
  const systolic = observation.components.find((c) => bareCode(c.code) === SYSTOLIC_CODE);
  const diastolic = observation.components.find((c) => bareCode(c.code) === DIASTOLIC_CODE);
  if (systolic !== undefined || diastolic !== undefined) {
    const part = (c: typeof systolic): string => (c?.value === null || c?.value === undefined ? '?' : numberText(c.value));
    return withUnit(`${part(systolic)}/${part(diastolic)}`, systolic?.unit ?? diastolic?.unit ?? null);
  }
  if (observation.valueText !== null && observation.valueText !== undefined && observation.valueText.length > 0)
    return observation.valueText;
  const parts = observation.components.filter((c) => c.value !== null).map((c) => withUnit(numberText(c.value!), c.unit));
  return parts.length > 0 ? parts.join(', ') : '—';
}
