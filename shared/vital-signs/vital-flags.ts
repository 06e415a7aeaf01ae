// The abnormal flag of each vital sign, read from the NEWS2 chart so the flag and the score never
// disagree: a parameter scoring 0 is in range, 1–2 is abnormal, 3 is critical, with its direction.
import {
  consciousnessScore,
  pulseScore,
  respiratoryRateScore,
  spo2Scale1Score,
  systolicScore,
  temperatureScore,
  type Consciousness,
} from './news2.js';

export type VitalFlagLevel = 'normal' | 'abnormal' | 'critical';

export interface VitalFlag {
  readonly level: VitalFlagLevel;
  readonly direction: 'low' | 'high' | null;
  /** "High", "Very low", "Not alert"; "" when normal. */
  readonly text: string;
}

/** The vitals that carry a flag: the NEWS2 parameters with a value of their own. */
export type FlaggedVital = 'heartRate' | 'respiratoryRate' | 'systolic' | 'temperatureCelsius' | 'oxygenSaturation';

/** Where each flagged vital's normal (score 0) band sits: below it is low, above it high. */
const NORMAL_BANDS: Readonly<Record<FlaggedVital, readonly [number, number]>> = {
  heartRate: [51, 90],
  respiratoryRate: [12, 20],
  systolic: [111, 219],
  temperatureCelsius: [36.1, 38.0],
  oxygenSaturation: [96, 100],
};

const SCORERS: Readonly<Record<FlaggedVital, (value: number) => number>> = {
  heartRate: pulseScore,
  respiratoryRate: respiratoryRateScore,
  systolic: systolicScore,
  temperatureCelsius: temperatureScore,
  oxygenSaturation: spo2Scale1Score,
};

const NORMAL: VitalFlag = { level: 'normal', direction: null, text: '' };

export function vitalFlag(vital: FlaggedVital, value: number): VitalFlag {
  const score = SCORERS[vital](value);
  if (score === 0) return NORMAL;
  const direction = value < NORMAL_BANDS[vital][0] ? 'low' : 'high';
  const level: VitalFlagLevel = score === 3 ? 'critical' : 'abnormal';
  const word = direction === 'low' ? 'low' : 'high';
  return { level, direction, text: level === 'critical' ? `Very ${word}` : word === 'low' ? 'Low' : 'High' };
}

export function consciousnessFlag(level: Consciousness): VitalFlag {
  return consciousnessScore(level) === 0 ? NORMAL : { level: 'critical', direction: null, text: 'Not alert' };
}

export function isFlaggedVital(key: string): key is FlaggedVital {
  return Object.hasOwn(NORMAL_BANDS, key);
}
