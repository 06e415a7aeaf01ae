// NEWS2, the National Early Warning Score 2 (Royal College of Physicians, 2017): the score of each
// physiological parameter from the published chart, the aggregate, and the clinical-risk band that
// decides the escalation. SpO2 scale 1 by default; scale 2 (hypercapnic respiratory failure, target
// 88–92 %) only when a clinician has prescribed it for the patient.

/** ACVPU: alert, new confusion, responds to voice, responds to pain, unresponsive. */
export const CONSCIOUSNESS_LEVELS = ['alert', 'new-confusion', 'voice', 'pain', 'unresponsive'] as const;
export type Consciousness = (typeof CONSCIOUSNESS_LEVELS)[number];

export const CONSCIOUSNESS_LABELS: Readonly<Record<Consciousness, string>> = {
  alert: 'Alert',
  'new-confusion': 'New confusion',
  voice: 'Responds to voice',
  pain: 'Responds to pain',
  unresponsive: 'Unresponsive',
};

export const NEWS2_PARAMETERS = [
  'respiratoryRate',
  'oxygenSaturation',
  'supplementalOxygen',
  'systolic',
  'heartRate',
  'consciousness',
  'temperatureCelsius',
] as const;
export type News2Parameter = (typeof NEWS2_PARAMETERS)[number];

export const NEWS2_PARAMETER_LABELS: Readonly<Record<News2Parameter, string>> = {
  respiratoryRate: 'respiratory rate',
  oxygenSaturation: 'SpO2',
  supplementalOxygen: 'air or oxygen',
  systolic: 'systolic blood pressure',
  heartRate: 'pulse',
  consciousness: 'consciousness',
  temperatureCelsius: 'temperature',
};

export interface News2Input {
  readonly respiratoryRate?: number | undefined;
  readonly oxygenSaturation?: number | undefined;
  /** true: on supplemental oxygen; false: breathing air. */
  readonly onOxygen?: boolean | undefined;
  readonly systolic?: number | undefined;
  readonly heartRate?: number | undefined;
  readonly consciousness?: Consciousness | undefined;
  readonly temperatureCelsius?: number | undefined;
  /** SpO2 scale 2 only when prescribed for the patient (hypercapnic respiratory failure). */
  readonly spo2Scale?: 1 | 2 | undefined;
}

/** low: 0–4; low-medium: a 3 in one parameter (urgent ward-based response); medium: 5–6; high: ≥ 7. */
export type News2Band = 'low' | 'low-medium' | 'medium' | 'high';

export const NEWS2_BAND_LABELS: Readonly<Record<News2Band, string>> = {
  low: 'Low',
  'low-medium': 'Low–medium',
  medium: 'Medium',
  high: 'High',
};

/** The clinical response the RCP chart asks for in each band. */
export const NEWS2_BAND_RESPONSES: Readonly<Record<News2Band, string>> = {
  low: 'Ward-based response: assessment by a registered nurse.',
  'low-medium': 'Urgent ward-based response: a 3 in one parameter.',
  medium: 'Key threshold: urgent response by a clinician.',
  high: 'Emergency response: urgent assessment by a critical care team.',
};

export interface News2Score {
  /** The aggregate over the parameters present. */
  readonly total: number;
  readonly band: News2Band;
  readonly scores: Readonly<Partial<Record<News2Parameter, number>>>;
  /** Parameters not measured: the score is then a lower bound. */
  readonly missing: readonly News2Parameter[];
  readonly complete: boolean;
}

/** A score from upper bounds: the first band whose upper limit the value does not exceed. */
function byUpperLimit(value: number, bands: ReadonlyArray<readonly [number, number]>, above: number): number {
  for (const [limit, score] of bands) if (value <= limit) return score;
  return above;
}

export const respiratoryRateScore = (rate: number): number =>
  byUpperLimit(
    rate,
    [
      [8, 3],
      [11, 1],
      [20, 0],
      [24, 2],
    ],
    3,
  );

/** Scale 1: ≤ 91 → 3, 92–93 → 2, 94–95 → 1, ≥ 96 → 0. */
export const spo2Scale1Score = (spo2: number): number =>
  byUpperLimit(
    spo2,
    [
      [91, 3],
      [93, 2],
      [95, 1],
    ],
    0,
  );

/** Scale 2: ≤ 83 → 3, 84–85 → 2, 86–87 → 1, 88–92 (or ≥ 93 on air) → 0, on oxygen 93–94 → 1, 95–96 → 2, ≥ 97 → 3. */
export function spo2Scale2Score(spo2: number, onOxygen: boolean): number {
  if (spo2 <= 92 || !onOxygen)
    return byUpperLimit(
      spo2,
      [
        [83, 3],
        [85, 2],
        [87, 1],
      ],
      0,
    );
  return byUpperLimit(
    spo2,
    [
      [94, 1],
      [96, 2],
    ],
    3,
  );
}

export const supplementalOxygenScore = (onOxygen: boolean): number => (onOxygen ? 2 : 0);

export const systolicScore = (systolic: number): number =>
  byUpperLimit(
    systolic,
    [
      [90, 3],
      [100, 2],
      [110, 1],
      [219, 0],
    ],
    3,
  );

export const pulseScore = (pulse: number): number =>
  byUpperLimit(
    pulse,
    [
      [40, 3],
      [50, 1],
      [90, 0],
      [110, 1],
      [130, 2],
    ],
    3,
  );

export const consciousnessScore = (level: Consciousness): number => (level === 'alert' ? 0 : 3);

export const temperatureScore = (celsius: number): number =>
  byUpperLimit(
    celsius,
    [
      [35.0, 3],
      [36.0, 1],
      [38.0, 0],
      [39.0, 1],
    ],
    2,
  );

/** The band of an aggregate: the higher of the aggregate's band and the single-parameter rule. */
export function news2Band(total: number, anySingleThree: boolean): News2Band {
  if (total >= 7) return 'high';
  if (total >= 5) return 'medium';
  return anySingleThree ? 'low-medium' : 'low';
}

export function news2(input: News2Input): News2Score {
  const scores: Partial<Record<News2Parameter, number>> = {};
  if (input.respiratoryRate !== undefined) scores.respiratoryRate = respiratoryRateScore(input.respiratoryRate);
  if (input.oxygenSaturation !== undefined) {
    if (input.spo2Scale === 2) {
      if (input.onOxygen !== undefined) scores.oxygenSaturation = spo2Scale2Score(input.oxygenSaturation, input.onOxygen);
    } else scores.oxygenSaturation = spo2Scale1Score(input.oxygenSaturation);
  }
  if (input.onOxygen !== undefined) scores.supplementalOxygen = supplementalOxygenScore(input.onOxygen);
  if (input.systolic !== undefined) scores.systolic = systolicScore(input.systolic);
  if (input.heartRate !== undefined) scores.heartRate = pulseScore(input.heartRate);
  if (input.consciousness !== undefined) scores.consciousness = consciousnessScore(input.consciousness);
  if (input.temperatureCelsius !== undefined) scores.temperatureCelsius = temperatureScore(input.temperatureCelsius);
  const values = Object.values(scores);
  const total = values.reduce((sum, score) => sum + score, 0);
  const missing = NEWS2_PARAMETERS.filter((parameter) => scores[parameter] === undefined);
  return { total, band: news2Band(total, values.includes(3)), scores, missing, complete: missing.length === 0 };
}

/** "NEWS2 8 — High" or, with parameters missing, "NEWS2 ≥ 3 (incomplete)". */
export function news2Text(score: News2Score): string {
  return score.complete
    ? `NEWS2 ${score.total} — ${NEWS2_BAND_LABELS[score.band]}`
    : `NEWS2 ≥ ${score.total} (incomplete: no ${score.missing.map((p) => NEWS2_PARAMETER_LABELS[p]).join(', ')})`;
}
