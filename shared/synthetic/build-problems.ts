// The problem list, allergies and alert flags: Condition (presenting illness, chronic and resolved
// problems), AllergyIntolerance (0–3, or a documented "no known allergies"), and Flag (code status,
// fall risk, isolation).
import type { AllergyIntolerance, Condition, Flag } from '@medplum/fhirtypes';
import { CODE_STATUS, FLAG_CATEGORY_SYSTEM, RXNORM_SYSTEM, SNOMED_SYSTEM } from '../fhir/index.js';
import {
  ADMISSION_REASONS,
  ALLERGIES,
  CHRONIC_PROBLEMS,
  NO_KNOWN_ALLERGY,
  RESOLVED_PROBLEMS,
  type AllergyDefinition,
  type ProblemDefinition,
} from './clinical-catalog.js';
import { metaFor, type PatientContext } from './patient-context.js';
import type { Rng } from './prng.js';
import { DAY, HOUR, isoDate, isoInstant } from './time.js';

export interface ProblemList {
  readonly admission: ProblemDefinition;
  readonly chronic: readonly ProblemDefinition[];
  readonly resolved: readonly ProblemDefinition[];
}

/** 2–6 problems: the presenting illness, 1–4 chronic ones, and up to 2 resolved ones. */
export function drawProblems(rng: Rng): ProblemList {
  const admission = rng.pick(ADMISSION_REASONS);
  const chronic = rng.sample(
    CHRONIC_PROBLEMS.filter((p) => p.code !== admission.code),
    rng.int(1, 4),
  );
  const room = 5 - chronic.length;
  const resolved = rng.sample(
    RESOLVED_PROBLEMS.filter((p) => p.code !== admission.code),
    Math.min(room, rng.int(0, 2)),
  );
  return { admission, chronic, resolved };
}

const CLINICAL_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

export interface BuiltConditions {
  readonly conditions: Condition[];
  /** Condition id per problem code, for MedicationRequest.reasonReference. */
  readonly idByCode: ReadonlyMap<string, string>;
}

export function buildConditions(ctx: PatientContext, problems: ProblemList): BuiltConditions {
  const rng = ctx.stream('conditions');
  const conditions: Condition[] = [];
  const idByCode = new Map<string, string>();
  const recorded = isoInstant(ctx.admissionMs + rng.int(1, 4) * HOUR);
  const add = (problem: ProblemDefinition, kind: 'admission' | 'chronic' | 'resolved'): void => {
    const id = ctx.ids.uuid();
    idByCode.set(problem.code, id);
    const resolved = kind === 'resolved';
    const yearsAgo = rng.int(1, 15);
    const onsetMs =
      kind === 'admission' ? ctx.admissionMs - rng.int(6, 72) * HOUR : ctx.admissionMs - (yearsAgo * 365 + rng.int(0, 364)) * DAY;
    conditions.push({
      resourceType: 'Condition',
      id,
      ...metaFor(ctx),
      clinicalStatus: {
        coding: [{ system: CLINICAL_STATUS, code: resolved ? 'resolved' : 'active', display: resolved ? 'Resolved' : 'Active' }],
      },
      verificationStatus: { coding: [{ system: VERIFICATION_STATUS, code: 'confirmed', display: 'Confirmed' }] },
      category: [
        {
          coding: [
            kind === 'admission'
              ? { system: CONDITION_CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' }
              : { system: CONDITION_CATEGORY, code: 'problem-list-item', display: 'Problem List Item' },
          ],
        },
      ],
      code: { coding: [{ system: SNOMED_SYSTEM, code: problem.code, display: problem.display }], text: problem.display },
      subject: { ...ctx.subject },
      ...(kind === 'admission' ? { encounter: { ...ctx.encounter } } : {}),
      onsetDateTime: kind === 'admission' ? isoInstant(onsetMs) : isoDate(onsetMs),
      ...(resolved ? { abatementDateTime: isoDate(onsetMs + rng.int(7, 60) * DAY) } : {}),
      recordedDate: recorded,
      recorder: { ...ctx.attending },
    });
  };
  add(problems.admission, 'admission');
  for (const p of problems.chronic) add(p, 'chronic');
  for (const p of problems.resolved) add(p, 'resolved');
  return { conditions, idByCode };
}

const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const ALLERGY_VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

export interface BuiltAllergies {
  readonly allergies: AllergyIntolerance[];
  /** RxNorm codes the patient must not be prescribed. */
  readonly drugCodes: ReadonlySet<string>;
}

/** ~20% documented "no known allergies", ~15% nothing recorded, the rest 1–3 allergies. */
export function buildAllergies(ctx: PatientContext): BuiltAllergies {
  const rng = ctx.stream('allergies');
  const recordedDate = isoInstant(ctx.admissionMs + rng.int(20, 90) * 60_000);
  const roll = rng.next();
  if (roll < 0.15) return { allergies: [], drugCodes: new Set() };
  if (roll < 0.35) {
    const nka: AllergyIntolerance = {
      resourceType: 'AllergyIntolerance',
      id: ctx.ids.uuid(),
      ...metaFor(ctx),
      ...allergyStatus(),
      code: { coding: [{ system: SNOMED_SYSTEM, ...NO_KNOWN_ALLERGY }], text: 'No known allergies' },
      patient: { ...ctx.subject },
      recordedDate,
      recorder: { ...ctx.attending },
    };
    return { allergies: [nka], drugCodes: new Set() };
  }
  const chosen = rng.sample(ALLERGIES, rng.int(1, 3));
  const allergies = chosen.map((a) => allergyResource(ctx, rng, a, recordedDate));
  return { allergies, drugCodes: new Set(chosen.filter((a) => a.system === 'rxnorm').map((a) => a.code)) };
}

function allergyStatus(): Pick<AllergyIntolerance, 'clinicalStatus' | 'verificationStatus'> {
  return {
    clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active', display: 'Active' }] },
    verificationStatus: { coding: [{ system: ALLERGY_VERIFICATION, code: 'confirmed', display: 'Confirmed' }] },
  };
}

function allergyResource(ctx: PatientContext, rng: Rng, a: AllergyDefinition, recordedDate: string): AllergyIntolerance {
  const reaction = rng.pick(a.reactions);
  const severe = reaction.code === '39579001';
  return {
    resourceType: 'AllergyIntolerance',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    ...allergyStatus(),
    type: a.type,
    category: [a.category],
    criticality: severe ? 'high' : 'low',
    code: {
      coding: [{ system: a.system === 'rxnorm' ? RXNORM_SYSTEM : SNOMED_SYSTEM, code: a.code, display: a.display }],
      text: a.display,
    },
    patient: { ...ctx.subject },
    recordedDate,
    recorder: { ...ctx.attending },
    reaction: [
      {
        manifestation: [{ coding: [{ system: SNOMED_SYSTEM, code: reaction.code, display: reaction.display }], text: reaction.display }],
        severity: severe ? 'severe' : rng.pick(['mild', 'moderate'] as const),
      },
    ],
  };
}

const FALL_RISK = { system: SNOMED_SYSTEM, code: '129839007', display: 'At risk for falls' };
const CONTACT_PRECAUTIONS = { system: SNOMED_SYSTEM, code: '409529001', display: 'Contact precautions' };
const ISOLATION_REASONS = ['MRSA', 'C. difficile', 'ESBL-producing organism', 'CPE screening pending'];

/**
 * Alert flags. Code status is always present: category `advance-directive`, code SNOMED CT
 * 304252001 "For resuscitation" (full code) or 304253006 "Not for resuscitation" (DNR); see
 * CODE_STATUS in shared/fhir. Fall risk (category safety) and contact isolation (category clinical)
 * appear for some patients.
 */
export function buildFlags(ctx: PatientContext): Flag[] {
  const rng = ctx.stream('flags');
  const start = isoInstant(ctx.admissionMs + rng.int(30, 180) * 60_000);
  const flag = (category: { system: string; code: string; display: string }, code: Flag['code'], period = start): Flag => ({
    resourceType: 'Flag',
    id: ctx.ids.uuid(),
    ...metaFor(ctx),
    status: 'active',
    category: [{ coding: [{ ...category }] }],
    code,
    subject: { ...ctx.subject },
    period: { start: period },
    encounter: { ...ctx.encounter },
    author: { ...ctx.attending },
  });
  const dnrChance = ctx.ageYears >= 80 ? 0.45 : ctx.ageYears >= 65 ? 0.2 : 0.05;
  const dnr = rng.chance(dnrChance);
  const flags: Flag[] = [
    flag(CODE_STATUS.category, {
      coding: [{ ...(dnr ? CODE_STATUS.doNotResuscitate : CODE_STATUS.fullCode) }],
      text: dnr ? 'DNR: do not attempt cardiopulmonary resuscitation' : 'Full code: for resuscitation',
    }),
  ];
  const fallChance = ctx.ageYears >= 75 || ctx.traits.has('cognitiveImpairment') ? 0.6 : 0.2;
  if (rng.chance(fallChance)) {
    flags.push(
      flag(
        { system: FLAG_CATEGORY_SYSTEM, code: 'safety', display: 'Safety' },
        {
          coding: [{ ...FALL_RISK }],
          text: 'Fall risk: bed alarm on, assist with mobilising',
        },
      ),
    );
  }
  if (rng.chance(ctx.traits.has('infection') ? 0.3 : 0.05)) {
    const organism = rng.pick(ISOLATION_REASONS);
    flags.push(
      flag(
        { system: FLAG_CATEGORY_SYSTEM, code: 'clinical', display: 'Clinical' },
        {
          coding: [{ ...CONTACT_PRECAUTIONS }],
          text: `Contact isolation: ${organism}`,
        },
        isoInstant(Math.min(ctx.nowMs, ctx.admissionMs + rng.int(6, 48) * HOUR)),
      ),
    );
  }
  return flags;
}
