// The NEWS2 of a chart: the LOINC codes of the vitals it needs, the ACVPU codings, and the score of
// the latest set of observations (those within an hour of the newest one, so a score never mixes a
// round with one from hours before). Consciousness is scored from the ACVPU observation only, as the
// RCP's chart asks; a Glasgow Coma Scale is charted beside it but never stands in for it (a chronic
// GCS of 14 is not new confusion), so a set without ACVPU counts consciousness as missing.
import { CONSCIOUSNESS_LABELS, CONSCIOUSNESS_LEVELS, news2, type Consciousness, type News2Input, type News2Score } from './news2.js';

/** LOINC codes (http://loinc.org) of the vital signs Wardline charts and scores. */
export const VITAL_SIGN_CODES = {
  heartRate: '8867-4',
  respiratoryRate: '9279-1',
  temperature: '8310-5',
  oxygenSaturation: '59408-5',
  bloodPressurePanel: '85354-9',
  systolic: '8480-6',
  diastolic: '8462-4',
  painScore: '72514-3',
  /** Inhaled oxygen flow rate, L/min; 0 = breathing air. */
  oxygenFlow: '3151-8',
  /** Level of responsiveness (ACVPU), valueCodeableConcept in SNOMED CT. */
  consciousness: '67775-7',
  glasgowComaScore: '9269-2',
} as const;

/** SNOMED CT findings for each ACVPU level (system http://snomed.info/sct). */
export const CONSCIOUSNESS_CODINGS: Readonly<Record<Consciousness, { readonly code: string; readonly display: string }>> = {
  alert: { code: '248234008', display: 'Mentally alert' },
  'new-confusion': { code: '130987000', display: 'Acute confusion' },
  voice: { code: '300202002', display: 'Responds to voice' },
  pain: { code: '450847001', display: 'Responds to pain' },
  unresponsive: { code: '422768004', display: 'Unresponsive' },
};

/** The ACVPU level of a SNOMED code, a label ("New confusion") or a display, or null. */
export function consciousnessFromCode(codeOrText: string | null): Consciousness | null {
  if (codeOrText === null) return null;
  const wanted = codeOrText.trim().toLowerCase();
  for (const level of CONSCIOUSNESS_LEVELS) {
    const coding = CONSCIOUSNESS_CODINGS[level];
    if (wanted === coding.code || wanted === coding.display.toLowerCase() || wanted === CONSCIOUSNESS_LABELS[level].toLowerCase())
      return level;
  }
  return null;
}

/** An observation as the chart reads it (the vault's latest observation, a trend point). */
export interface VitalObservationReading {
  /** "http://loinc.org|8867-4" or the bare code. */
  readonly code: string;
  readonly time: string | null;
  readonly value: number | null;
  readonly valueText: string | null;
  readonly components: ReadonlyArray<{ readonly code: string; readonly value: number | null }>;
}

/** The LOINC codes of the observations NEWS2 scores (consciousness is the ACVPU observation, never the GCS). */
export const NEWS2_CODES: readonly string[] = [
  VITAL_SIGN_CODES.respiratoryRate,
  VITAL_SIGN_CODES.oxygenSaturation,
  VITAL_SIGN_CODES.oxygenFlow,
  VITAL_SIGN_CODES.bloodPressurePanel,
  VITAL_SIGN_CODES.heartRate,
  VITAL_SIGN_CODES.consciousness,
  VITAL_SIGN_CODES.temperature,
];

const SET_SPAN_MS = 60 * 60_000;

const bareCode = (code: string): string => code.slice(code.lastIndexOf('|') + 1);

/** The NEWS2 of the newest set among `readings`, and when it was measured; null without any scored vital. */
export function news2OfObservations(readings: readonly VitalObservationReading[]): { score: News2Score; at: string } | null {
  const newest = new Map<string, { reading: VitalObservationReading; ms: number }>();
  for (const reading of readings) {
    const ms = reading.time === null ? Number.NaN : Date.parse(reading.time);
    if (Number.isNaN(ms)) continue;
    const code = bareCode(reading.code);
    const seen = newest.get(code);
    if (seen === undefined || ms > seen.ms) newest.set(code, { reading, ms });
  }
  let latestMs = -Infinity;
  let latestTime: string | null = null;
  for (const code of NEWS2_CODES) {
    const seen = newest.get(code);
    if (seen !== undefined && seen.ms > latestMs) {
      latestMs = seen.ms;
      latestTime = seen.reading.time;
    }
  }
  if (latestTime === null) return null;
  const inSet = (code: string): VitalObservationReading | null => {
    const seen = newest.get(code);
    return seen !== undefined && latestMs - seen.ms <= SET_SPAN_MS ? seen.reading : null;
  };
  const valueOf = (code: string): number | undefined => inSet(code)?.value ?? undefined;
  const systolic = inSet(VITAL_SIGN_CODES.bloodPressurePanel)?.components.find(
    (c) => bareCode(c.code) === VITAL_SIGN_CODES.systolic,
  )?.value;
  const flow = valueOf(VITAL_SIGN_CODES.oxygenFlow);
  const input: News2Input = {
    heartRate: valueOf(VITAL_SIGN_CODES.heartRate),
    respiratoryRate: valueOf(VITAL_SIGN_CODES.respiratoryRate),
    temperatureCelsius: valueOf(VITAL_SIGN_CODES.temperature),
    oxygenSaturation: valueOf(VITAL_SIGN_CODES.oxygenSaturation),
    systolic: systolic ?? undefined,
    onOxygen: flow === undefined ? undefined : flow > 0,
    consciousness: consciousnessFromCode(inSet(VITAL_SIGN_CODES.consciousness)?.valueText ?? null) ?? undefined,
  };
  return { score: news2(input), at: latestTime };
}
