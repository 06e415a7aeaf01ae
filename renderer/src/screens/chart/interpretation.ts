// Abnormal flags of a result (FHIR v3 ObservationInterpretation codes) as words and a tone: the
// flag is always shown as text ("H High") so it never depends on colour alone.

export type FlagTone = 'high' | 'low' | 'critical' | 'abnormal';

export interface InterpretationFlag {
  /** The code as laboratories print it: H, L, HH, LL, A… */
  readonly short: string;
  /** Plain words: "High", "Critically low". */
  readonly label: string;
  readonly tone: FlagTone;
}

const FLAGS: Readonly<Record<string, InterpretationFlag>> = {
  H: { short: 'H', label: 'High', tone: 'high' },
  L: { short: 'L', label: 'Low', tone: 'low' },
  HH: { short: 'HH', label: 'Critically high', tone: 'critical' },
  LL: { short: 'LL', label: 'Critically low', tone: 'critical' },
  HU: { short: 'HH', label: 'Critically high', tone: 'critical' },
  LU: { short: 'LL', label: 'Critically low', tone: 'critical' },
  A: { short: 'A', label: 'Abnormal', tone: 'abnormal' },
  AA: { short: 'AA', label: 'Critically abnormal', tone: 'critical' },
  POS: { short: 'POS', label: 'Positive', tone: 'abnormal' },
  DET: { short: 'DET', label: 'Detected', tone: 'abnormal' },
  R: { short: 'R', label: 'Resistant', tone: 'abnormal' },
  '>': { short: '>', label: 'Above the measurable range', tone: 'abnormal' },
  '<': { short: '<', label: 'Below the measurable range', tone: 'abnormal' },
};

/** Codes that mean "nothing to flag". */
const NORMAL = new Set(['N', 'NEG', 'ND', 'S', 'WR']);

/** The flag to show for an interpretation code, or null for normal or none. An unknown code is shown as is. */
export function interpretationFlag(code: string | null | undefined): InterpretationFlag | null {
  if (code === null || code === undefined || code.trim().length === 0) return null;
  const key = code.trim().toUpperCase();
  if (NORMAL.has(key)) return null;
  return FLAGS[key] ?? { short: key.slice(0, 8), label: `Flagged (${key.slice(0, 8)})`, tone: 'abnormal' };
}
