// A patient's physiology over the admission: per-patient baselines set by age, sex and problems,
// the acute illness they came in with (fading over the first days), and a few abnormal episodes
// (fever, hypotension, hypoxia, ...) that rise and fall. The chart builders sample it and add noise.
import type { Trait } from './clinical-catalog.js';
import type { Rng } from './prng.js';
import { DAY, HOUR } from './time.js';

export interface PhysiologyState {
  heartRate: number;
  respiratoryRate: number;
  temperature: number;
  spo2: number;
  systolic: number;
  diastolic: number;
  pain: number;
  oxygenFlow: number;
  gcs: number;
  weight: number;
  sodium: number;
  potassium: number;
  creatinine: number;
  glucose: number;
  hemoglobin: number;
  wbc: number;
  platelets: number;
}

type Effect = Partial<PhysiologyState>;

export type EpisodeKind = 'fever' | 'hypotension' | 'hypertension' | 'hypoxia' | 'pain' | 'hyperglycemia' | 'hypokalemia' | 'bleed';

/** What an episode does at its peak. */
const EPISODE_EFFECTS: Readonly<Record<EpisodeKind, Effect>> = {
  fever: { temperature: 1.7, heartRate: 24, respiratoryRate: 6, systolic: -12, spo2: -2, wbc: 7, pain: 1 },
  hypotension: { systolic: -38, diastolic: -20, heartRate: 20, creatinine: 0.6, gcs: -1 },
  hypertension: { systolic: 42, diastolic: 18, heartRate: 6 },
  hypoxia: { spo2: -9, respiratoryRate: 9, heartRate: 14, oxygenFlow: 4 },
  pain: { pain: 5, heartRate: 12, systolic: 14, diastolic: 6 },
  hyperglycemia: { glucose: 190 },
  hypokalemia: { potassium: -1.1 },
  bleed: { hemoglobin: -2.6, heartRate: 18, systolic: -18, platelets: -45 },
};

/** What the presenting illness adds on admission day; it fades with a time constant of a few days. */
const ADMISSION_EFFECTS: Readonly<Partial<Record<Trait, Effect>>> = {
  infection: { temperature: 1.3, heartRate: 18, respiratoryRate: 4, wbc: 8, spo2: -2, pain: 1 },
  pain: { pain: 3, heartRate: 8, systolic: 8 },
  heartFailure: { spo2: -3, respiratoryRate: 4, oxygenFlow: 2, weight: 3.5, heartRate: 8 },
};

export interface Episode {
  readonly kind: EpisodeKind;
  readonly startMs: number;
  readonly peakMs: number;
  readonly endMs: number;
}

export interface PhysiologyInput {
  readonly sex: 'male' | 'female';
  readonly ageYears: number;
  /** Traits of active problems (chronic and the presenting illness). */
  readonly traits: ReadonlySet<Trait>;
  /** Traits of the presenting illness only. */
  readonly admissionTraits: ReadonlySet<Trait>;
  readonly admissionMs: number;
  readonly nowMs: number;
}

export class Physiology {
  readonly baseline: Readonly<PhysiologyState>;
  readonly episodes: readonly Episode[];
  /** Extra heart-rate noise (atrial fibrillation is irregular). */
  readonly heartRateSd: number;
  private readonly admissionEffect: Effect;
  private readonly recoveryMs: number;
  private readonly admissionMs: number;

  constructor(rng: Rng, input: PhysiologyInput) {
    this.admissionMs = input.admissionMs;
    this.baseline = baselineFor(rng, input);
    this.heartRateSd = input.traits.has('atrialFibrillation') ? 9 : 4;
    this.recoveryMs = rng.real(1.5, 4) * DAY;
    const admissionEffect: Effect = {};
    for (const trait of input.admissionTraits) addEffect(admissionEffect, ADMISSION_EFFECTS[trait] ?? {}, 1);
    this.admissionEffect = admissionEffect;
    this.episodes = episodesFor(rng, input);
  }

  /** 0..1: how far into an abnormal episode the patient is at `ms` (the strongest one). */
  intensityAt(ms: number): number {
    let max = 0;
    for (const episode of this.episodes) max = Math.max(max, shape(episode, ms));
    return max;
  }

  /** The noise-free state at `ms`. */
  stateAt(ms: number): PhysiologyState {
    const state = { ...this.baseline };
    const sinceAdmission = Math.max(0, ms - this.admissionMs);
    addEffect(state, this.admissionEffect, Math.exp(-sinceAdmission / this.recoveryMs));
    for (const episode of this.episodes) {
      const factor = shape(episode, ms);
      if (factor > 0) addEffect(state, EPISODE_EFFECTS[episode.kind], factor);
    }
    return state;
  }
}

function addEffect(target: Effect, effect: Effect, factor: number): void {
  for (const key of Object.keys(effect) as (keyof PhysiologyState)[]) {
    target[key] = (target[key] ?? 0) + effect[key]! * factor;
  }
}

/** Triangular rise to a peak, then a slower fall. */
function shape(episode: Episode, ms: number): number {
  if (ms <= episode.startMs || ms >= episode.endMs) return 0;
  if (ms <= episode.peakMs) return (ms - episode.startMs) / (episode.peakMs - episode.startMs);
  return (episode.endMs - ms) / (episode.endMs - episode.peakMs);
}

function baselineFor(rng: Rng, { sex, ageYears, traits }: PhysiologyInput): PhysiologyState {
  const male = sex === 'male';
  const state: PhysiologyState = {
    heartRate: rng.real(62, 88),
    respiratoryRate: rng.real(14, 18),
    temperature: rng.real(36.4, 37.0),
    spo2: rng.real(95, 98.5),
    systolic: rng.real(108, 132) + Math.max(0, ageYears - 50) * 0.3,
    diastolic: rng.real(64, 82),
    pain: rng.real(0, 2),
    oxygenFlow: 0,
    gcs: 15,
    weight: male ? rng.real(62, 105) : rng.real(50, 92),
    sodium: rng.real(137, 142),
    potassium: rng.real(3.8, 4.6),
    creatinine: male ? rng.real(0.8, 1.2) : rng.real(0.6, 1.0),
    glucose: rng.real(82, 110),
    hemoglobin: male ? rng.real(13.6, 16) : rng.real(12.2, 14.5),
    wbc: rng.real(5, 9),
    platelets: rng.real(180, 340),
  };
  if (traits.has('hypertension')) {
    state.systolic += rng.real(12, 24);
    state.diastolic += rng.real(5, 10);
  }
  if (traits.has('diabetes')) state.glucose = rng.real(140, 215);
  if (traits.has('ckd')) {
    state.creatinine = rng.real(1.8, 3.2);
    state.potassium += 0.4;
    state.hemoglobin -= 1.5;
  }
  if (traits.has('copd')) {
    state.spo2 = rng.real(89, 93);
    state.respiratoryRate += 3;
    state.oxygenFlow = rng.pick([1, 1, 2]);
  }
  if (traits.has('heartFailure')) state.systolic -= 6;
  if (traits.has('atrialFibrillation')) state.heartRate += 12;
  if (traits.has('anemia')) state.hemoglobin -= 3;
  if (traits.has('pain')) state.pain = rng.real(2.5, 4.5);
  if (traits.has('cognitiveImpairment')) state.gcs = rng.pick([13, 14, 14, 15]);
  return state;
}

function episodesFor(rng: Rng, { traits, admissionMs, nowMs }: PhysiologyInput): Episode[] {
  const kinds: EpisodeKind[] = ['fever', 'hypotension', 'hypertension', 'hypoxia', 'pain', 'hypokalemia', 'bleed'];
  if (traits.has('diabetes')) kinds.push('hyperglycemia', 'hyperglycemia');
  if (traits.has('copd') || traits.has('heartFailure')) kinds.push('hypoxia');
  if (traits.has('hypertension')) kinds.push('hypertension');
  if (traits.has('infection')) kinds.push('fever');
  const spanMs = nowMs - admissionMs;
  const count = Math.floor(spanMs / (rng.real(7, 12) * DAY) + rng.next());
  const episodes: Episode[] = [];
  for (let i = 0; i < count; i++) {
    const startMs = admissionMs + 12 * HOUR + rng.next() * Math.max(0, spanMs - 18 * HOUR);
    const durationMs = rng.real(12, 60) * HOUR;
    episodes.push({ kind: rng.pick(kinds), startMs, peakMs: startMs + durationMs / 3, endMs: startMs + durationMs });
  }
  return episodes.sort((a, b) => a.startMs - b.startMs);
}
