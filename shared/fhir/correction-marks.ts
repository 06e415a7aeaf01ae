// How a change to recorded documentation says what it is (FHIR R4 status codes): a vital sign whose
// value changes is `corrected` (or `amended`), a record withdrawn is `entered-in-error`, a dose is
// never edited in place (it is withdrawn and the right dose recorded again), a note's changed text is
// `docStatus: amended`. The workstation's amend writes these marks (electron/documentation
// amendment.ts); the hub refuses a change to a record's clinical content that carries none, so a
// changed reading never stands as the original `final` one.
import { sameJson, type JsonValue } from '../json/index.js';

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
