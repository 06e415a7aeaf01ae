// Clinical notes as DocumentReference: a nursing note at the end of each shift (LOINC 34746-8, by the
// shift's nurse) and a daily progress note (LOINC 11506-3, by a physician). The text is plain UTF-8 in
// content[0].attachment.data (base64), built from the patient's state at the time. Notes never name
// the patient.
import type { CodeableConcept, DocumentReference, Practitioner, Reference } from '@medplum/fhirtypes';
import { LOINC_SYSTEM } from '../fhir/index.js';
import { base64FromText } from './base64.js';
import { deepFreeze } from './frozen.js';
import type { ProblemList } from './build-problems.js';
import { ESCALATION_INTENSITY } from './build-observations.js';
import { metaFor, nurseAt, physicianFor, type PatientContext } from './patient-context.js';
import type { PhysiologyState } from './physiology.js';
import type { Rng } from './prng.js';
import { DAY, HOUR, MINUTE, isoInstant, startOfDay } from './time.js';

interface NoteType {
  readonly concept: CodeableConcept;
}
const noteType = (code: string, display: string): NoteType =>
  deepFreeze({ concept: { coding: [{ system: LOINC_SYSTEM, code, display }], text: display } });
const NURSING_NOTE = noteType('34746-8', 'Nurse Note');
const PROGRESS_NOTE = noteType('11506-3', 'Progress note');

const SHIFT_NOTES = [
  { hour: 6.5, shift: 'Night shift' },
  { hour: 14.5, shift: 'Day shift' },
  { hour: 22.5, shift: 'Evening shift' },
];

const MOBILITY = [
  'Mobilising independently.',
  'Mobilising with assistance of one.',
  'Mobilising with a frame and supervision.',
  'Bed rest, repositioned two-hourly.',
];
const INTAKE = [
  'Eating and drinking well.',
  'Fair oral intake, encouraged fluids.',
  'Poor appetite, dietitian aware.',
  'Tolerating diet and fluids.',
];
const NIGHT = ['Slept well overnight.', 'Slept intermittently.', 'Restless overnight, reassured.', 'Settled, resting comfortably.'];
const DAYTIME = [
  'Alert and orientated, settled on the ward.',
  'Sat out in the chair for most of the shift.',
  'Family visited, updated on plan.',
  'Resting in bed, comfortable.',
];

function describeState(s: PhysiologyState): string {
  const oxygen = s.oxygenFlow > 0 ? `on ${Math.round(s.oxygenFlow * 2) / 2} L/min oxygen` : 'on room air';
  return (
    `Observations: HR ${Math.round(s.heartRate)}, BP ${Math.round(s.systolic)}/${Math.round(s.diastolic)}, ` +
    `RR ${Math.round(s.respiratoryRate)}, SpO2 ${Math.round(Math.min(100, s.spo2))}% ${oxygen}, T ${s.temperature.toFixed(1)} °C.`
  );
}

function painSentence(pain: number): string {
  const score = Math.max(0, Math.min(10, Math.round(pain)));
  if (score <= 2) return `Pain ${score}/10, comfortable.`;
  if (score <= 5) return `Pain ${score}/10, settled with regular analgesia.`;
  return `Pain ${score}/10, analgesia given and effect reviewed.`;
}

function nursingNoteText(rng: Rng, shift: string, state: PhysiologyState, unwell: boolean): string {
  const lines = [
    `${shift}: ${rng.pick(shift === 'Night shift' ? NIGHT : DAYTIME)}`,
    describeState(state),
    painSentence(state.pain),
    rng.pick(MOBILITY),
    rng.pick(INTAKE),
    unwell
      ? 'Observations outside normal limits: escalated to the medical team, observations increased to hourly.'
      : 'No concerns raised. Continue current plan, observations four-hourly.',
  ];
  return lines.join('\n');
}

function progressNoteText(rng: Rng, day: number, problems: ProblemList, state: PhysiologyState, unwell: boolean): string {
  const course = unwell ? 'deteriorated overnight' : rng.pick(['improving', 'stable', 'slowly improving']);
  const plan = unwell
    ? 'Plan: repeat bloods, review fluid balance, senior review today; escalate if no improvement.'
    : rng.pick([
        'Plan: continue current treatment, review medication chart, physiotherapy input.',
        'Plan: continue treatment, daily bloods, discuss discharge planning with the team.',
        'Plan: no changes today, encourage mobilisation, review tomorrow.',
      ]);
  return [
    `Ward round, day ${day} of admission.`,
    `Admitted with ${problems.admission.display.toLowerCase()}; ${course}.`,
    ...(problems.chronic.length > 0 ? [`Background: ${problems.chronic.map((p) => p.display).join(', ')}.`] : []),
    describeState(state),
    plan,
  ].join('\n');
}

function note(
  ctx: PatientContext,
  type: NoteType,
  at: number,
  author: Reference<Practitioner>,
  title: string,
  text: string,
): DocumentReference {
  const date = isoInstant(at);
  return {
    resourceType: 'DocumentReference',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    status: 'current',
    docStatus: 'final',
    type: type.concept,
    subject: ctx.subject,
    date,
    author: [author],
    description: title,
    content: [
      { attachment: { contentType: 'text/plain; charset=utf-8', language: 'en', data: base64FromText(text), title, creation: date } },
    ],
    context: { encounter: [ctx.encounter] },
  };
}

export function buildNotes(ctx: PatientContext, problems: ProblemList): DocumentReference[] {
  const rng = ctx.stream('notes');
  const out: DocumentReference[] = [];
  for (let day = startOfDay(ctx.admissionMs); day <= ctx.nowMs; day += DAY) {
    const dayNumber = Math.floor((day - startOfDay(ctx.admissionMs)) / DAY) + 1;
    const progressAt = day + 10 * HOUR + rng.int(0, 120) * MINUTE;
    for (const { hour, shift } of SHIFT_NOTES) {
      const at = day + hour * HOUR + rng.int(-15, 25) * MINUTE;
      if (at > ctx.admissionMs + 2 * HOUR && at <= ctx.nowMs) {
        const state = ctx.physiology.stateAt(at);
        const unwell = ctx.physiology.intensityAt(at) >= ESCALATION_INTENSITY;
        out.push(
          note(ctx, NURSING_NOTE, at, nurseAt(ctx, at), `Nursing note: ${shift.toLowerCase()}`, nursingNoteText(rng, shift, state, unwell)),
        );
      }
      if (hour === 6.5 && progressAt > ctx.admissionMs + 2 * HOUR && progressAt <= ctx.nowMs) {
        const state = ctx.physiology.stateAt(progressAt);
        const unwell = ctx.physiology.intensityAt(progressAt) >= ESCALATION_INTENSITY;
        out.push(
          note(
            ctx,
            PROGRESS_NOTE,
            progressAt,
            physicianFor(ctx, rng),
            'Progress note',
            progressNoteText(rng, dayNumber, problems, state, unwell),
          ),
        );
      }
    }
  }
  return out;
}
