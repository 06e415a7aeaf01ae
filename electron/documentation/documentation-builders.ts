// FHIR resources for what a nurse or physician documents on the ward: vital signs (LOINC, UCUM, as
// the chart reads them), a medication administration against its order (with the MAR's scheduled
// time, its coded reasons and the timing mark of its checks), a note (DocumentReference, plain
// text), and the Provenance naming who documented (marked when made during downtime).
// Every resource carries the client identifier (system + its client UUID) the hub deduplicates on.
import type {
  CodeableConcept,
  DocumentReference,
  MedicationAdministration,
  MedicationRequest,
  Observation,
  Practitioner,
  Provenance,
  Reference,
  Resource,
} from '../../shared/fhir/index.js';
import {
  CONFLICT_COMBINATION_POLICY_URI,
  RECORDED_AGAIN_POLICY_URI,
  LOINC_SYSTEM,
  SCHEDULED_TIME_EXTENSION_URL,
  SNOMED_SYSTEM,
  UCUM_SYSTEM,
} from '../../shared/fhir/index.js';
import type { StaffRole } from '../../shared/access/index.js';
import type { PatientConfirmation, ReasonCheck, TimingMark } from '../../shared/medication-safety/index.js';
import {
  AIR_FLOW_LITRES_PER_MINUTE,
  BLOOD_PRESSURE,
  BODY_TEMPERATURE,
  CONSCIOUSNESS_CODINGS,
  CONSCIOUSNESS_LABELS,
  DIASTOLIC_BP,
  HEART_RATE,
  OXYGEN_FLOW,
  OXYGEN_SATURATION,
  PAIN_SCORE,
  RESPIRATORY_RATE,
  SYSTOLIC_BP,
  VITAL_SIGN_CODES,
  type Consciousness,
  type VitalSignDefinition,
} from '../../shared/vital-signs/index.js';
import { CLIENT_ID_SYSTEM } from '../sync/index.js';
import { administrationCheckExtensions, notGivenStatusReason } from './administration-coding.js';

/** Who documents: a Practitioner reference (`Practitioner/{id}`), as the session knows the user. */
export interface DocumentationAuthor {
  readonly reference: string;
  readonly display?: string;
}

export interface VitalSignsInput {
  /** When measured (ISO); default: now. */
  readonly effectiveAt?: string;
  readonly heartRate?: number;
  readonly respiratoryRate?: number;
  readonly systolic?: number;
  readonly diastolic?: number;
  readonly temperatureCelsius?: number;
  readonly oxygenSaturation?: number;
  readonly painScore?: number;
  /** true: on supplemental oxygen at `oxygenFlowLitresPerMinute`; false: breathing air (flow 0). */
  readonly onOxygen?: boolean;
  readonly oxygenFlowLitresPerMinute?: number;
  readonly consciousness?: Consciousness;
}

export interface MedicationAdministrationInput {
  /** The MedicationRequest (order) the dose belongs to; it must be in the vault. */
  readonly medicationRequestId: string;
  /** false: the dose was held (status not-done, with `notGivenReason`). */
  readonly given: boolean;
  /** When given or held (ISO); default: now. */
  readonly effectiveAt?: string;
  /** The dose's scheduled time on the MAR, when it was a scheduled dose. */
  readonly scheduledAt?: string;
  readonly dose?: { readonly value: number; readonly unit: string };
  /** Why the dose was not given: a code of NOT_GIVEN_REASONS (shared/medication-safety). */
  readonly notGivenReason?: string;
  /** Free text beside the coded reasons. */
  readonly note?: string;
  /** Coded reasons for a dose that differs from the order, is outside its window, or crosses an allergy class. */
  readonly reasons?: Partial<Record<ReasonCheck, string>>;
  /** The second patient identifier, scanned or typed (required to record). */
  readonly patientConfirmation?: PatientConfirmation;
}

/** What the five-rights check found, written into the administration. */
export interface AdministrationChecks {
  readonly timing: TimingMark;
}

export type NoteKind = 'nursing' | 'progress';

export interface NoteInput {
  readonly text: string;
  readonly title?: string;
  readonly kind?: NoteKind;
}

/** The type of note a role writes: a physician's is a progress note, anyone else's a nursing note. */
export function noteKindOf(role: StaffRole): NoteKind {
  return role === 'physician' ? 'progress' : 'nursing';
}

const CONSCIOUSNESS = { code: VITAL_SIGN_CODES.consciousness, display: 'Level of responsiveness (ACVPU)' };

const VITAL_SIGNS_CATEGORY = [
  {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
    text: 'Vital Signs',
  },
];

const NOTE_TYPES: Readonly<Record<'nursing' | 'progress', CodeableConcept & { text: string }>> = {
  nursing: { coding: [{ system: LOINC_SYSTEM, code: '34746-8', display: 'Nurse Note' }], text: 'Nurse Note' },
  progress: { coding: [{ system: LOINC_SYSTEM, code: '11506-3', display: 'Progress note' }], text: 'Progress note' },
};

const INPATIENT_ADMINISTRATION: CodeableConcept = {
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/medication-admin-category', code: 'inpatient', display: 'Inpatient' }],
};

export const DOWNTIME_POLICY_URI = 'urn:wardline:policy:downtime-documentation';

export interface BuildContext {
  readonly patientId: string;
  readonly encounterId: string | null;
  readonly author: DocumentationAuthor;
  readonly now: string;
  readonly newId: () => string;
}

function identity(id: string): { id: string; identifier: [{ system: string; value: string }] } {
  return { id, identifier: [{ system: CLIENT_ID_SYSTEM, value: id }] };
}

function authorReference(author: DocumentationAuthor): Reference<Practitioner> {
  return author.display === undefined ? { reference: author.reference } : { reference: author.reference, display: author.display };
}

function quantity(definition: VitalSignDefinition, value: number) {
  return { value, unit: definition.unitText, system: UCUM_SYSTEM, code: definition.unit };
}

function concept(definition: { code: string; display: string }) {
  return { coding: [{ system: LOINC_SYSTEM, code: definition.code, display: definition.display }], text: definition.display };
}

function observationBase(context: BuildContext, effectiveAt: string): Omit<Observation, 'code'> {
  return {
    resourceType: 'Observation',
    ...identity(context.newId()),
    status: 'final',
    category: VITAL_SIGNS_CATEGORY,
    subject: { reference: `Patient/${context.patientId}` },
    ...(context.encounterId === null ? {} : { encounter: { reference: `Encounter/${context.encounterId}` } }),
    effectiveDateTime: effectiveAt,
    performer: [authorReference(context.author)],
  };
}

export function vitalSignObservations(context: BuildContext, input: VitalSignsInput): Observation[] {
  const effectiveAt = input.effectiveAt ?? context.now;
  const single: Array<[VitalSignDefinition, number | undefined]> = [
    [HEART_RATE, input.heartRate],
    [RESPIRATORY_RATE, input.respiratoryRate],
    [BODY_TEMPERATURE, input.temperatureCelsius],
    [OXYGEN_SATURATION, input.oxygenSaturation],
    [PAIN_SCORE, input.painScore],
    // Air is charted as a flow of 0 L/min, so NEWS2 reads "air or oxygen" from one code.
    [OXYGEN_FLOW, input.onOxygen === undefined ? undefined : input.onOxygen ? input.oxygenFlowLitresPerMinute : AIR_FLOW_LITRES_PER_MINUTE],
  ];
  const observations: Observation[] = [];
  for (const [definition, value] of single) {
    if (value === undefined) continue;
    observations.push({ ...observationBase(context, effectiveAt), code: concept(definition), valueQuantity: quantity(definition, value) });
  }
  if (input.systolic !== undefined || input.diastolic !== undefined) {
    const component = [];
    if (input.systolic !== undefined) component.push({ code: concept(SYSTOLIC_BP), valueQuantity: quantity(SYSTOLIC_BP, input.systolic) });
    if (input.diastolic !== undefined)
      component.push({ code: concept(DIASTOLIC_BP), valueQuantity: quantity(DIASTOLIC_BP, input.diastolic) });
    observations.push({ ...observationBase(context, effectiveAt), code: concept(BLOOD_PRESSURE), component });
  }
  if (input.consciousness !== undefined) {
    const coding = CONSCIOUSNESS_CODINGS[input.consciousness];
    observations.push({
      ...observationBase(context, effectiveAt),
      code: concept(CONSCIOUSNESS),
      valueCodeableConcept: { coding: [{ system: SNOMED_SYSTEM, ...coding }], text: CONSCIOUSNESS_LABELS[input.consciousness] },
    });
  }
  return observations;
}

export function medicationAdministration(
  context: BuildContext,
  order: MedicationRequest,
  input: MedicationAdministrationInput,
  checks: AdministrationChecks = { timing: input.scheduledAt === undefined ? 'unscheduled' : 'on-time' },
): MedicationAdministration {
  const route = order.dosageInstruction?.[0]?.route;
  const extension = [
    ...(input.scheduledAt === undefined ? [] : [{ url: SCHEDULED_TIME_EXTENSION_URL, valueDateTime: input.scheduledAt }]),
    ...administrationCheckExtensions({
      timing: checks.timing,
      reasons: input.reasons ?? {},
      confirmation: input.patientConfirmation?.method ?? null,
    }),
  ];
  return {
    resourceType: 'MedicationAdministration',
    ...identity(context.newId()),
    ...(extension.length === 0 ? {} : { extension }),
    status: input.given ? 'completed' : 'not-done',
    ...(input.given || input.notGivenReason === undefined ? {} : { statusReason: [notGivenStatusReason(input.notGivenReason)] }),
    category: INPATIENT_ADMINISTRATION,
    ...(order.medicationCodeableConcept === undefined ? {} : { medicationCodeableConcept: order.medicationCodeableConcept }),
    ...(order.medicationReference === undefined ? {} : { medicationReference: order.medicationReference }),
    subject: { reference: `Patient/${context.patientId}` },
    ...(context.encounterId === null ? {} : { context: { reference: `Encounter/${context.encounterId}` } }),
    effectiveDateTime: input.effectiveAt ?? context.now,
    performer: [{ actor: authorReference(context.author) }],
    request: { reference: `MedicationRequest/${order.id}` },
    ...(input.note === undefined ? {} : { note: [{ text: input.note, time: context.now }] }),
    ...(input.given && (input.dose !== undefined || route !== undefined)
      ? {
          dosage: {
            ...(route === undefined ? {} : { route }),
            ...(input.dose === undefined
              ? {}
              : { dose: { value: input.dose.value, unit: input.dose.unit, system: UCUM_SYSTEM, code: input.dose.unit } }),
          },
        }
      : {}),
  } as MedicationAdministration;
}

export function clinicalNote(context: BuildContext, input: NoteInput): DocumentReference {
  const type = NOTE_TYPES[input.kind ?? 'nursing'];
  const title = input.title ?? type.text;
  return {
    resourceType: 'DocumentReference',
    ...identity(context.newId()),
    status: 'current',
    docStatus: 'final',
    type,
    subject: { reference: `Patient/${context.patientId}` },
    date: context.now,
    author: [authorReference(context.author)],
    description: title,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(input.text, 'utf8').toString('base64'),
          title,
          creation: context.now,
        },
      },
    ],
    ...(context.encounterId === null ? {} : { context: { encounter: [{ reference: `Encounter/${context.encounterId}` }] } }),
  };
}

/**
 * Who documented `targets`, and when: every outbox entry carries one, so the hub knows whom to hold
 * to the documentation even when the device uploads it alone, hours later (the hub checks that user's
 * account as it stood at `recorded`). Made during downtime, it carries the downtime policy.
 */
export function documentationProvenance(
  context: BuildContext,
  targets: readonly Resource[],
  operation: 'CREATE' | 'UPDATE' = 'CREATE',
  downtime = true,
): Provenance & { id: string } {
  return {
    resourceType: 'Provenance',
    id: context.newId(),
    target: [
      ...targets.map((resource) => ({ reference: `${resource.resourceType}/${resource.id}` })),
      { reference: `Patient/${context.patientId}` },
    ],
    occurredDateTime: context.now,
    recorded: context.now,
    ...(downtime ? { policy: [DOWNTIME_POLICY_URI] } : {}),
    activity: {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
          code: operation,
          display: operation === 'CREATE' ? 'create' : 'revise',
        },
      ],
      text: downtime ? 'Documented during downtime' : 'Documented on the ward',
    },
    agent: [
      {
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }],
        },
        who: authorReference(context.author),
      },
    ],
  };
}

export { CONFLICT_COMBINATION_POLICY_URI };

/**
 * Who settled a conflict by combining this workstation's and the hub's versions of `targets`, and
 * when. The agents of the original entry's Provenance (downtime documentation) are kept beside the
 * user who combined, and its policy too, so the history of the change stays whole.
 */
export function combinationProvenance(
  context: BuildContext,
  targets: readonly Resource[],
  original: Provenance | null,
): Provenance & { id: string } {
  const combiner = authorReference(context.author);
  const earlier = (original?.agent ?? []).filter((agent) => agent.who.reference !== combiner.reference);
  return {
    resourceType: 'Provenance',
    id: context.newId(),
    target: [
      ...targets.map((resource) => ({ reference: `${resource.resourceType}/${resource.id}` })),
      { reference: `Patient/${context.patientId}` },
    ],
    occurredDateTime: context.now,
    recorded: context.now,
    policy: [...new Set([...(original?.policy ?? []), CONFLICT_COMBINATION_POLICY_URI])],
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE', display: 'revise' }],
      text: "Combined from this workstation's and the hub's versions after a conflict",
    },
    agent: [
      {
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }],
        },
        who: combiner,
      },
      ...earlier,
    ],
  };
}

export const UPSTREAM_SETTLEMENT_POLICY_URI = 'urn:wardline:policy:upstream-conflict-settlement';

/**
 * Who settled a conflict with the hospital's EHR over `targets`, and how: sent to the EHR after all
 * (`resend-local`), or kept from it because the EHR is right (`keep-hub`).
 */
export function upstreamSettlementProvenance(
  context: BuildContext,
  targets: readonly Resource[],
  choice: 'keep-hub' | 'resend-local',
): Provenance & { id: string } {
  return {
    resourceType: 'Provenance',
    id: context.newId(),
    target: [
      ...targets.map((resource) => ({ reference: `${resource.resourceType}/${resource.id}` })),
      { reference: `Patient/${context.patientId}` },
    ],
    occurredDateTime: context.now,
    recorded: context.now,
    policy: [UPSTREAM_SETTLEMENT_POLICY_URI],
    activity: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE', display: 'revise' }],
      text:
        choice === 'keep-hub'
          ? "Kept from the EHR after a conflict with it: the EHR's record stands"
          : 'Sent to the EHR after a conflict with it: confirmed as documented',
    },
    agent: [
      {
        type: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }],
        },
        who: authorReference(context.author),
      },
    ],
  };
}

/**
 * Who recorded `created` again as new entries after the records they came from were marked entered in
 * error meanwhile (a conflict's "Record again as a new entry"), and, for a conflict with the EHR, who
 * accepted its withdrawal (`settled`, kept from the EHR): one Provenance for the one outbox entry that
 * holds both, so the hub takes them in one transaction or not at all.
 */
export function recordedAgainProvenance(
  context: BuildContext,
  created: readonly Resource[],
  settled: readonly Resource[],
  downtime: boolean,
): Provenance & { id: string } {
  const provenance = documentationProvenance(context, [...created, ...settled], 'CREATE', downtime);
  const policy = [
    ...(downtime ? [DOWNTIME_POLICY_URI] : []),
    RECORDED_AGAIN_POLICY_URI,
    ...(settled.length > 0 ? [UPSTREAM_SETTLEMENT_POLICY_URI] : []),
  ];
  const { policy: _policy, ...rest } = provenance;
  return {
    ...rest,
    policy,
    activity: {
      ...provenance.activity,
      text:
        settled.length > 0
          ? "Recorded again as a new entry after the EHR marked its record entered in error; kept from the EHR: the EHR's record stands"
          : 'Recorded again as a new entry after its record was marked entered in error meanwhile',
    },
  };
}
