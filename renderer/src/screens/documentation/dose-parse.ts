// The dose at the start of an order's dosage text ("500 mg oral twice daily…" → 500 mg), to prefill
// the "Given" form. Only a number directly followed by a known unit counts; anything else is left
// for the nurse to type, never guessed.

export interface ParsedDose {
  readonly value: number;
  readonly unit: string;
}

const UNITS: Readonly<Record<string, string>> = {
  mg: 'mg',
  g: 'g',
  mcg: 'mcg',
  microgram: 'mcg',
  micrograms: 'mcg',
  µg: 'mcg',
  ug: 'mcg',
  ml: 'mL',
  l: 'L',
  unit: 'units',
  units: 'units',
  iu: 'IU',
  mmol: 'mmol',
  tablet: 'tablet',
  tablets: 'tablet',
  capsule: 'capsule',
  capsules: 'capsule',
  puff: 'puff',
  puffs: 'puff',
  drop: 'drop',
  drops: 'drop',
};

const DOSE = /^\s*(\d+(?:[.,]\d+)?)\s*(µg|[a-z]+)\b/i;

/** The dose a dosage text starts with, or null when it does not start with one. */
export function parseDose(dosage: string | null | undefined): ParsedDose | null {
  if (dosage === null || dosage === undefined) return null;
  const match = DOSE.exec(dosage);
  if (match === null) return null;
  const value = Number((match[1] ?? '').replace(',', '.'));
  const unit = UNITS[(match[2] ?? '').toLowerCase()];
  if (unit === undefined || !Number.isFinite(value) || value <= 0) return null;
  return { value, unit };
}
