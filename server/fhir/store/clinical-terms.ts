// The clinical search terms of a resource, on the FHIR R4 paths: its `code` and `category` codings
// (index tokens, one row per coding) and the span of its clinical date (two columns of its row,
// no extra row). Each type has at most one date search parameter, named as R4 names it there.
import type { Resource } from '../../../shared/fhir/index.js';
import { parseInstantRange } from './hub-clock.js';

/** An index token (the same shape as index-terms.ts's Token, which builds on this file). */
interface Token {
  readonly param: string;
  readonly system: string;
  readonly value: string;
}

/** The R4 date search parameter of each type that has one, and the element it searches. */
export const DATE_SEARCH_PARAM: Readonly<Record<string, { readonly name: string; readonly element: string }>> = {
  Observation: { name: 'date', element: 'effective' },
  Encounter: { name: 'date', element: 'period' },
  AllergyIntolerance: { name: 'date', element: 'recordedDate' },
  Flag: { name: 'date', element: 'period' },
  DocumentReference: { name: 'date', element: 'date' },
  MedicationAdministration: { name: 'effective-time', element: 'effective' },
  MedicationRequest: { name: 'authoredon', element: 'authoredOn' },
  Condition: { name: 'recorded-date', element: 'recordedDate' },
};

/** Open ends of a Period (microseconds), kept within the integers both engines and JS agree on. */
export const OPEN_START = Number.MIN_SAFE_INTEGER;
export const OPEN_END = Number.MAX_SAFE_INTEGER;

/** The span a resource's clinical date covers, [start, end) in microseconds; null when it has none. */
export interface DateSpan {
  readonly start: number;
  readonly end: number;
}

function clamp(value: number): number {
  return Math.min(Math.max(value, OPEN_START), OPEN_END);
}

function spanOfValue(value: unknown): DateSpan | null {
  if (typeof value !== 'string') return null;
  const range = parseInstantRange(value);
  return range ? { start: clamp(range.start), end: clamp(range.end) } : null;
}

function spanOfPeriod(period: unknown): DateSpan | null {
  if (!period || typeof period !== 'object') return null;
  const { start, end } = period as { start?: unknown; end?: unknown };
  const from = spanOfValue(start);
  const to = spanOfValue(end);
  if (!from && !to) return null;
  return { start: from?.start ?? OPEN_START, end: to?.end ?? OPEN_END };
}

/** The span of the resource's date search parameter (a choice element `effective[x]` included). */
export function dateSpanOf(resource: Resource): DateSpan | null {
  const param = DATE_SEARCH_PARAM[resource.resourceType];
  if (!param) return null;
  const record = resource as unknown as Record<string, unknown>;
  const element = param.element;
  return (
    spanOfValue(record[element]) ??
    spanOfValue(record[`${element}DateTime`]) ??
    spanOfValue(record[`${element}Instant`]) ??
    spanOfPeriod(record[element]) ??
    spanOfPeriod(record[`${element}Period`])
  );
}

interface Coding {
  readonly system?: unknown;
  readonly code?: unknown;
}

/** Adds a `param` token for each coding of `concept` that has a code. */
function addCodingTokens(out: Token[], param: string, concept: unknown): void {
  const codings = (concept as { coding?: unknown } | null | undefined)?.coding;
  if (!Array.isArray(codings)) return;
  for (const coding of codings as Coding[]) {
    if (typeof coding?.code !== 'string') continue;
    out.push({ param, system: typeof coding.system === 'string' ? coding.system : '', value: coding.code });
  }
}

/** Adds the `category` tokens of a list of concepts (or of one). */
function addCategoryTokens(out: Token[], value: unknown): void {
  if (Array.isArray(value)) for (const concept of value) addCodingTokens(out, 'category', concept);
  else if (value !== undefined) addCodingTokens(out, 'category', value);
}

function conceptList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

const ALLERGY_CATEGORY_SYSTEM = 'http://hl7.org/fhir/allergy-intolerance-category';

/** `code` (R4 clinical-code) and `category` tokens of a resource. */
export function clinicalTokensOf(resource: Resource): Token[] {
  const record = resource as unknown as Record<string, unknown>;
  const out: Token[] = [];
  switch (resource.resourceType) {
    case 'Observation':
    case 'Condition':
      addCodingTokens(out, 'code', record.code);
      addCategoryTokens(out, record.category);
      break;
    case 'AllergyIntolerance':
      addCodingTokens(out, 'code', record.code);
      for (const value of conceptList(record.category)) {
        if (typeof value === 'string') out.push({ param: 'category', system: ALLERGY_CATEGORY_SYSTEM, value });
      }
      break;
    case 'MedicationRequest':
      addCodingTokens(out, 'code', record.medicationCodeableConcept);
      addCategoryTokens(out, record.category);
      break;
    case 'MedicationAdministration':
      addCodingTokens(out, 'code', record.medicationCodeableConcept);
      break;
    case 'DocumentReference':
      addCategoryTokens(out, record.category);
      break;
    default:
      break;
  }
  return out;
}
