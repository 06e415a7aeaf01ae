// The five rights at one administration, put together: what stops the dose outright (hard stops)
// and what needs a coded reason before it is saved. The host computes it (from the order, the
// chart's allergies and MRN, the doses already recorded and the policy's window) for the dialog to
// ask, and again, authoritatively, when the dose is recorded.
import { allergyClassConflicts, type AllergyClassConflict, type DrugClass, type SubstanceName } from './allergy-classes.js';
import { checkDose, type Dose, type DoseFinding } from './dose-rule.js';
import { checkFrequency, type EarlierDose, type FrequencyFinding, type WardClock } from './frequency-rule.js';
import type { OrderSchedule } from './order-schedule.js';
import { confirmsPatient, type PatientConfirmation } from './patient-confirmation.js';
import { needsTimingReason, timingOf, type TimingMark } from './time-rule.js';
import type { UnitConverter } from './units.js';

/** The checks that can need a reason. */
export type ReasonCheck = 'dose' | 'time' | 'allergy';

export interface HardStop {
  readonly check: 'patient' | 'dose' | 'frequency';
  readonly code: string;
  readonly message: string;
}

export interface ReasonRequest {
  readonly check: ReasonCheck;
  readonly message: string;
}

export interface AdministrationVerdict {
  readonly hardStops: readonly HardStop[];
  readonly reasonsNeeded: readonly ReasonRequest[];
  readonly timing: TimingMark;
  readonly allergyConflicts: readonly AllergyClassConflict[];
  /** The time window the verdict was judged by (the policy's, on the host): the dialog uses this one, never its own. */
  readonly windowMinutes: number;
}

export interface AdministrationFacts {
  readonly order: OrderSchedule;
  readonly drug: SubstanceName;
  readonly allergies: readonly SubstanceName[];
  readonly allergyClasses: readonly DrugClass[];
  readonly chartMrn: string | null;
  readonly earlier: readonly EarlierDose[];
  readonly windowMs: number;
  readonly convert: UnitConverter;
  readonly clock: WardClock;
}

export interface AdministrationAttempt {
  readonly given: boolean;
  readonly effectiveAt: string;
  readonly scheduledAt: string | null;
  readonly dose: Dose | null;
  /** Absent when the dialog asks before the patient was confirmed (the check channel). */
  readonly patientConfirmation?: PatientConfirmation | undefined;
}

const DOSE_STOPS: Partial<Record<DoseFinding['kind'], HardStop>> = {
  'over-limit': {
    check: 'dose',
    code: 'DOSE_OVER_LIMIT',
    message: 'This dose is more than twice the ordered dose. It cannot be recorded; check the dose and the unit, or ask the prescriber.',
  },
  'unit-not-convertible': {
    check: 'dose',
    code: 'DOSE_UNIT_MISMATCH',
    message: "This unit cannot be converted to the order's unit. It cannot be recorded; check the unit.",
  },
};

const FREQUENCY_STOPS: Readonly<Record<Exclude<FrequencyFinding['kind'], 'ok'>, string>> = {
  'unscheduled-extra':
    'This order is scheduled, not as needed: record a dose against its scheduled time on the MAR. An extra dose needs a new order.',
  'not-a-scheduled-time': "This time is not one of the order's scheduled times. Record the dose from its slot on the MAR.",
  'already-recorded': 'This scheduled dose is already recorded. A second dose would exceed the order.',
  'beyond-frequency':
    "All of this period's doses of this order are recorded (today's, or this week's or month's for a weekly or monthly order). Another dose would exceed the order's frequency.",
  'prn-too-soon': "The last dose of this as-needed order was given too recently: the order's minimum interval has not passed.",
  'prn-daily-maximum': "This as-needed order's maximum number of doses in 24 hours has been given.",
};

export function administrationVerdict(facts: AdministrationFacts, attempt: AdministrationAttempt): AdministrationVerdict {
  const hardStops: HardStop[] = [];
  const reasonsNeeded: ReasonRequest[] = [];
  if (attempt.patientConfirmation !== undefined && !confirmsPatient(attempt.patientConfirmation, facts.chartMrn)) {
    hardStops.push({
      check: 'patient',
      code: 'PATIENT_NOT_CONFIRMED',
      message: "The wristband or MRN entered does not match this chart's MRN. Check you are with the right patient.",
    });
  }
  if (attempt.given && attempt.dose === null && facts.order.orderedDose !== null) {
    hardStops.push({ check: 'dose', code: 'DOSE_MISSING', message: 'Enter the dose given and its unit.' });
  }
  if (attempt.given && attempt.dose !== null && facts.order.orderedDose !== null) {
    const finding = checkDose(facts.order.orderedDose, attempt.dose, facts.convert);
    const stop = DOSE_STOPS[finding.kind];
    if (stop !== undefined) hardStops.push(stop);
    else if (finding.kind === 'differs') reasonsNeeded.push({ check: 'dose', message: 'The dose or unit differs from the order.' });
  }
  const frequency = checkFrequency(facts.order, facts.earlier, attempt, facts.clock);
  if (frequency.kind !== 'ok')
    hardStops.push({ check: 'frequency', code: frequencyCode(frequency), message: FREQUENCY_STOPS[frequency.kind] });
  const timing = facts.order.prn ? 'unscheduled' : timingOf(attempt, facts.windowMs);
  if (needsTimingReason(timing)) {
    reasonsNeeded.push({
      check: 'time',
      message: timing === 'early' ? 'This dose is early: before its time window.' : 'This dose is late: after its time window.',
    });
  }
  const allergyConflicts = attempt.given ? allergyClassConflicts(facts.allergies, facts.drug, facts.allergyClasses) : [];
  if (allergyConflicts.length > 0) {
    reasonsNeeded.push({
      check: 'allergy',
      message: `This drug is in the same class as a recorded allergy (${[...new Set(allergyConflicts.map((c) => c.classLabel))].join('; ')}).`,
    });
  }
  return { hardStops, reasonsNeeded, timing, allergyConflicts, windowMinutes: facts.windowMs / 60_000 };
}

function frequencyCode(finding: Exclude<FrequencyFinding, { kind: 'ok' }>): string {
  return finding.kind === 'prn-too-soon' || finding.kind === 'prn-daily-maximum' ? 'PRN_TOO_SOON' : 'DOSE_BEYOND_FREQUENCY';
}

/** The checks of the verdict that still lack a reason among `reasons`. */
export function missingReasons(verdict: AdministrationVerdict, reasons: Partial<Record<ReasonCheck, string>>): ReasonCheck[] {
  return verdict.reasonsNeeded.map((request) => request.check).filter((check) => reasons[check] === undefined);
}
