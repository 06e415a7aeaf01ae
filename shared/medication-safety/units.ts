// The unit of a dose as UCUM, from what the order or the nurse wrote ("mcg", "units", "tablet"…).
// Conversion itself is a port: the host converts with @lhncbc/ucum-lhc (a maintained UCUM library).

/** Converts `value` from one UCUM unit to another; null when the units cannot be converted. */
export type UnitConverter = (value: number, from: string, to: string) => number | null;

const ALIASES: Readonly<Record<string, string>> = {
  mcg: 'ug',
  µg: 'ug',
  μg: 'ug',
  microgram: 'ug',
  micrograms: 'ug',
  milligram: 'mg',
  milligrams: 'mg',
  gram: 'g',
  grams: 'g',
  ml: 'mL',
  l: 'L',
  unit: '[U]',
  units: '[U]',
  iu: '[iU]',
  tablet: '{tablet}',
  tablets: '{tablet}',
  capsule: '{capsule}',
  capsules: '{capsule}',
  puff: '{puff}',
  puffs: '{puff}',
  drop: '[drp]',
  drops: '[drp]',
};

/** The UCUM code for a unit as written: known words and abbreviations mapped, anything else as is. */
export function ucumCodeOf(unit: string): string {
  const trimmed = unit.trim();
  return ALIASES[trimmed.toLowerCase()] ?? trimmed;
}
