// How a change to recorded documentation says what it is (FHIR R4 status codes): a vital sign whose
// value changes is `corrected` (or `amended`), a record withdrawn is `entered-in-error`, a dose is
// never edited in place (it is withdrawn and the right dose recorded again), a note's changed text is
// `docStatus: amended`. The workstation's amend writes these marks (electron/documentation
// amendment.ts); the hub refuses a change to a record's clinical content that carries none, so a
// changed reading never stands as the original `final` one. A record withdrawn as entered in error
// is final (FHIR makes the status terminal): its status and clinical content stay as they are (a note
// may still be added), so a reading a colleague withdrew as another patient's never stands again as
// valid through a later correction or a conflict settled without seeing the withdrawal; nor does a
// record the hospital's EHR withdrew, through a version sent to the EHR over it (withdrawalUndoneBy).
import { sameJson, type JsonValue } from '../json/index.js';
import { ehrCopyOfConflict, isUpstreamWithheld } from './upstream-conflict.js';
import type { Resource } from '@medplum/fhirtypes';

/** The statuses a change to an Observation's reading must carry. */
export const OBSERVATION_CORRECTION_STATUSES: readonly string[] = ['corrected', 'amended', 'entered-in-error'];
export const RETRACTED_STATUS = 'entered-in-error';

interface Rule {
  /** The elements that are the record's clinical content (a key ending in `[x]` takes every choice). */
  readonly content: readonly string[];
  /** Whether `next` is marked as a change of that content. */
  readonly marked: (next: Record<string, unknown>) => boolean;
  readonly message: string;
}

const RULES: Readonly<Record<string, Rule>> = {
  Observation: {
    content: ['code', 'value[x]', 'component', 'dataAbsentReason', 'effective[x]'],
    marked: (next) => OBSERVATION_CORRECTION_STATUSES.includes(String(next.status)),
    message:
      'This change alters the recorded reading but keeps its status: a corrected value is marked "corrected" (with a note saying what it was and why), a record withdrawn "entered-in-error".',
  },
  MedicationAdministration: {
    content: ['status', 'statusReason', 'medication[x]', 'dosage', 'effective[x]', 'request'],
    marked: (next) => next.status === RETRACTED_STATUS,
    message:
      'A recorded dose is not edited: mark it "entered-in-error" (with a note saying why), then record the right dose against its order.',
  },
  DocumentReference: {
    content: ['type', 'content'],
    marked: (next) => next.status === RETRACTED_STATUS || next.docStatus === 'amended' || next.docStatus === RETRACTED_STATUS,
    message: 'A note whose text changes is marked docStatus "amended", or withdrawn as "entered-in-error".',
  },
};

function contentOf(resource: Record<string, unknown>, elements: readonly string[]): JsonValue {
  const picked: Record<string, JsonValue> = {};
  for (const element of elements) {
    const prefix = element.endsWith('[x]') ? element.slice(0, -3) : null;
    for (const [key, value] of Object.entries(resource)) {
      if (value !== undefined && (prefix === null ? key === element : key.startsWith(prefix))) picked[key] = value as JsonValue;
    }
  }
  return picked;
}

/** Whether `resource` is withdrawn as entered in error (a note by its `docStatus` too). */
export function isRetracted(resource: { readonly resourceType: string }): boolean {
  const record = resource as unknown as Record<string, unknown>;
  return record.status === RETRACTED_STATUS || (resource.resourceType === 'DocumentReference' && record.docStatus === RETRACTED_STATUS);
}

/** What the hub and the workstation say when a change would bring a withdrawn record back. */
export const RETRACTED_IS_FINAL_MESSAGE =
  'This record was withdrawn as entered in error, which is final: its status and its content are not changed again. If the value was right after all, record it again as a new entry.';

/**
 * Why `next`, a change of documentation `previous`, is refused because `previous` is withdrawn
 * (entered in error) and `next` changes its status or clinical content. Null otherwise: a record not
 * withdrawn, a type without a rule, or a change that only adds a note.
 */
export function changeOfRetracted(previous: { readonly resourceType: string }, next: { readonly resourceType: string }): string | null {
  const rule = RULES[next.resourceType];
  if (rule === undefined || previous.resourceType !== next.resourceType || !isRetracted(previous)) return null;
  const before = previous as unknown as Record<string, unknown>;
  const after = next as unknown as Record<string, unknown>;
  const kept = (element: string): boolean => sameJson((before[element] ?? null) as JsonValue, (after[element] ?? null) as JsonValue);
  if (!isRetracted(next) || !kept('status') || !kept('docStatus')) return RETRACTED_IS_FINAL_MESSAGE;
  return sameJson(contentOf(before, rule.content), contentOf(after, rule.content)) ? null : RETRACTED_IS_FINAL_MESSAGE;
}

/** What the hub and the workstation say when a version would go to the EHR over the EHR's own withdrawal. */
export const RETRACTED_IN_EHR_MESSAGE =
  "The hospital's EHR holds this record withdrawn as entered in error, which is final: this version is not sent over it. If the value was right after all, record it again as a new entry.";

/**
 * "Entered in error is final", the one rule for every write over a record and every settlement of a
 * conflict: why `next` may not replace `current` (the version it is written over: the hub's, or the
 * EHR's copy a conflict with the EHR shows), or null. Refused: `current` is withdrawn and `next`
 * changes its status or clinical content (changeOfRetracted); or `current` is a version the hub holds
 * as a conflict with the EHR whose EHR copy is withdrawn, and `next` is not kept from the EHR by a
 * user's decision (tagged withheld) yet changes that copy: sent on, it would stand the EHR's
 * withdrawn record up again in the EHR.
 */
export function withdrawalUndoneBy(current: Resource, next: Resource): string | null {
  const refusal = changeOfRetracted(current, next);
  if (refusal !== null) return refusal;
  const ehrCopy = ehrCopyOfConflict(current);
  if (ehrCopy === null || isUpstreamWithheld(next)) return null;
  return changeOfRetracted(ehrCopy, next) === null ? null : RETRACTED_IN_EHR_MESSAGE;
}

/**
 * Why `next`, a change of documentation `previous`, is refused: it alters the record's clinical
 * content without the mark of a correction or a retraction. Null when it keeps the content, or says
 * what it is, or is of a type without such a rule.
 */
export function unmarkedCorrection(previous: { readonly resourceType: string }, next: { readonly resourceType: string }): string | null {
  const rule = RULES[next.resourceType];
  if (rule === undefined || previous.resourceType !== next.resourceType) return null;
  const before = previous as unknown as Record<string, unknown>;
  const after = next as unknown as Record<string, unknown>;
  if (sameJson(contentOf(before, rule.content), contentOf(after, rule.content))) return null;
  return rule.marked(after) ? null : rule.message;
}
