// Parses a type-level search's query string into store filters, checking each parameter against
// the capability table. Values are only ever data (bound parameters), however they look.
import { capabilityOf, type SearchParamName } from './capability.js';
import { FhirError } from './fhir-error.js';
import {
  normalizeReference,
  parseInstantRange,
  type Comparator,
  type SearchFilter,
  type SearchOrder,
  type TokenAlternative,
} from './store/index.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** Parameters that control the result rather than filter it. */
const RESULT_PARAMS = new Set(['_count', '_sort', '_include', '_cursor', '_format', '_summary', '_total']);

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export interface ParsedSearch {
  readonly filters: SearchFilter[];
  readonly order: SearchOrder;
  readonly count: number;
  readonly includes: string[];
  /** Patient ids named by patient/subject (for break-the-glass on a single out-of-ward patient). */
  readonly patientIds: string[];
  readonly cursor: string | null;
  /** `_summary=count`: the number of matches only, no entries. */
  readonly summaryCount: boolean;
  /** `_total=accurate`: count every page's matches (by default the total is given when it is free). */
  readonly accurateTotal: boolean;
}

function invalid(message: string, expression?: string): FhirError {
  return new FhirError(400, 'INVALID_SEARCH', 'invalid', message, expression);
}

/** Splits on `sep` where it is not escaped with a backslash; the escapes stay in the parts. */
function splitRaw(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && i + 1 < text.length) {
      current += ch + text[++i]!;
      continue;
    }
    if (ch === sep) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts;
}

/** FHIR search escapes: `\,` `\|` `\$` `\\`. */
function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** Splits a list value on unescaped commas, unescaping each item. */
export function splitEscaped(text: string, sep: string): string[] {
  return splitRaw(text, sep).map(unescape);
}

function tokenAlternative(raw: string): TokenAlternative {
  const pieces = splitRaw(raw, '|').map(unescape);
  if (pieces.length === 1) return { value: pieces[0]! };
  if (pieces.length !== 2) throw invalid('A token search value is "system|value", "|value", "system|" or "value".');
  const [system, value] = pieces as [string, string];
  if (value === '') return { system };
  return { system, value };
}

function referenceIds(raw: string, type: string, param: string): string[] {
  return splitEscaped(raw, ',').map((value) => {
    if (/^[A-Za-z0-9\-.]{1,64}$/.test(value)) return value;
    const ref = normalizeReference(value);
    if (!ref || !ref.startsWith(`${type}/`)) throw invalid(`The ${param} parameter takes ${type}/{id} or {id}.`, param);
    return ref.slice(type.length + 1);
  });
}

const PREFIXES: readonly Comparator[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le'];

function dateFilter(kind: 'lastUpdated' | 'date', name: string, raw: string): SearchFilter {
  const prefix = PREFIXES.find((p) => raw.startsWith(p));
  const comparator: Comparator = prefix ?? 'eq';
  const range = parseInstantRange(prefix ? raw.slice(2) : raw);
  if (!range) throw invalid(`${name} takes a date or instant, optionally prefixed with eq, ne, gt, lt, ge or le.`, name);
  return { kind, comparator, start: range.start, end: range.end };
}

export function parseSearch(type: string, query: URLSearchParams): ParsedSearch {
  const capability = capabilityOf(type);
  if (!capability) throw new FhirError(404, 'UNKNOWN_RESOURCE_TYPE', 'not-supported', `The hub does not serve the resource type ${type}.`);
  const filters: SearchFilter[] = [];
  const includes: string[] = [];
  const patientIds: string[] = [];
  let order: SearchOrder = 'id';
  let count = DEFAULT_PAGE_SIZE;
  let cursor: string | null = null;
  let summaryCount = false;
  let accurateTotal = false;
  for (const [key, raw] of query) {
    // Control characters are never part of a FHIR string (and PostgreSQL refuses NUL in text).
    if (CONTROL_CHARACTERS.test(key + raw)) throw invalid('Search values must not contain control characters.', key);
    const [name, modifier] = key.split(':') as [string, string | undefined];
    if (RESULT_PARAMS.has(name)) {
      if (modifier !== undefined) throw invalid(`${name} takes no modifier.`, key);
      switch (name) {
        case '_count': {
          if (!/^\d{1,9}$/.test(raw)) throw invalid('_count takes a whole number.', '_count');
          count = Math.min(Number(raw), MAX_PAGE_SIZE);
          break;
        }
        case '_sort':
          if (raw === '_lastUpdated') order = 'lastUpdated';
          else if (raw === '-_lastUpdated') order = '-lastUpdated';
          else if (raw === '_id') order = 'id';
          else throw invalid('_sort takes _lastUpdated, -_lastUpdated or _id.', '_sort');
          break;
        case '_include':
          if (!capability.searchIncludes.includes(raw)) {
            throw invalid(`_include supports ${capability.searchIncludes.join(', ') || 'nothing'} for ${type}.`, '_include');
          }
          includes.push(raw);
          break;
        case '_cursor':
          cursor = raw;
          break;
        case '_summary':
          if (raw === 'count') summaryCount = true;
          else if (raw !== 'false') throw invalid('_summary takes count or false.', '_summary');
          break;
        case '_total':
          if (!['none', 'estimate', 'accurate'].includes(raw)) throw invalid('_total takes none, estimate or accurate.', '_total');
          accurateTotal = raw === 'accurate';
          break;
        case '_format':
          if (!['json', 'application/json', 'application/fhir+json'].includes(raw)) {
            throw new FhirError(406, 'UNSUPPORTED_MEDIA_TYPE', 'not-supported', 'The hub speaks FHIR JSON only.');
          }
          break;
      }
      continue;
    }
    if (!capability.searchParams.includes(name as SearchParamName)) {
      throw invalid(`The hub does not support the search parameter "${name}" for ${type}.`, name);
    }
    if (modifier !== undefined) throw invalid(`The hub does not support search modifiers (${name}:…).`, key);
    if (raw === '') throw invalid(`The search parameter ${name} needs a value.`, name);
    switch (name as SearchParamName) {
      case '_id':
        filters.push({ kind: 'id', values: splitEscaped(raw, ',') });
        break;
      case '_lastUpdated':
        filters.push(dateFilter('lastUpdated', name, raw));
        break;
      case 'date':
      case 'effective-time':
      case 'authoredon':
      case 'recorded-date':
        filters.push(dateFilter('date', name, raw));
        break;
      case 'identifier':
      case 'code':
      case 'category':
        filters.push({ kind: 'token', param: name, alternatives: splitRaw(raw, ',').map(tokenAlternative) });
        break;
      case 'status':
        filters.push({ kind: 'status', values: splitEscaped(raw, ',') });
        break;
      case 'patient':
      case 'subject': {
        const ids = referenceIds(raw, 'Patient', name);
        patientIds.push(...ids);
        filters.push({ kind: 'patient', values: ids });
        break;
      }
      case 'location': {
        const ids = referenceIds(raw, 'Location', 'location');
        filters.push({ kind: 'token', param: 'location', alternatives: ids.map((id) => ({ value: `Location/${id}` })) });
        break;
      }
    }
  }
  return { filters, order, count, includes, patientIds, cursor, summaryCount, accurateTotal };
}
