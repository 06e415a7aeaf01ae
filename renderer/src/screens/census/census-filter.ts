// Patient search on the census: every word typed must appear in the patient's name, bed or MRN (case
// and accents ignored). An exact bed ("7", "bed 7", "Bed 40") or an exact MRN comes first, then names
// that start with what was typed, then any other match; census order within each. Each match says
// why it matched. The query stays in memory only; it is never stored.
import type { CensusRowData } from '../../../../shared/contract/index.js';

/** Lower case without accents, so "jose" finds "José". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

type SearchableRow = Pick<CensusRowData, 'name' | 'bed' | 'mrn'>;

export type MatchKind = 'exact-bed' | 'exact-mrn' | 'name' | 'contains';

export interface CensusMatch<T> {
  readonly row: T;
  readonly kind: MatchKind;
  /** Why it matched, for the row: "exact bed", "exact MRN", "name", "name, MRN". */
  readonly reason: string;
}

const RANK: Readonly<Record<MatchKind, number>> = { 'exact-bed': 0, 'exact-mrn': 1, name: 2, contains: 3 };

const words = (text: string): string[] =>
  foldText(text)
    .split(/[\s,]+/)
    .filter((w) => w !== '');

/** "Bed 07", "bed 7", "7" → "7"; a bed label without the word "bed" stays as it is ("4a-01"). */
function bedKey(text: string): string {
  const folded = foldText(text).trim().replace(/\s+/g, ' ');
  const bare = folded.replace(/^bed\s*/, '');
  return /^\d+$/.test(bare) ? String(Number(bare)) : bare;
}

/** "MRN0001234" and "1234" → "1234": the MRN's digits without leading zeros, when it has any. */
function mrnKey(text: string): string {
  const folded = foldText(text).replace(/\s+/g, '');
  const digits = folded.replace(/^mrn[-:]?/, '');
  return /^\d+$/.test(digits) ? String(Number(digits)) : folded;
}

function isExactMrn(query: string, mrn: string | null): boolean {
  if (mrn === null) return false;
  const folded = foldText(query).replace(/\s+/g, '');
  if (folded === foldText(mrn)) return true;
  // Digits alone match an MRN's number only when long enough not to be a bed ("7" is a bed).
  return /^(mrn[-:]?)?\d{4,}$/.test(folded) && mrnKey(folded) === mrnKey(mrn);
}

function match<T extends SearchableRow>(row: T, query: string, typed: readonly string[]): CensusMatch<T> | null {
  if (row.bed !== null && bedKey(query) !== '' && bedKey(query) === bedKey(row.bed)) return { row, kind: 'exact-bed', reason: 'exact bed' };
  if (isExactMrn(query, row.mrn)) return { row, kind: 'exact-mrn', reason: 'exact MRN' };
  // "bed 4…" searches beds only: "bed 7" lists Bed 7, then Bed 17 and Bed 27, never an MRN with a 7.
  const bedsOnly = typed[0] === 'bed' && typed.length > 1;
  const fields: Array<[string, string]> = bedsOnly
    ? [['bed', foldText(row.bed ?? '').replace(/^bed\s*/, '')]]
    : [
        ['name', foldText(row.name)],
        ['bed', foldText(row.bed ?? '')],
        ['MRN', foldText(row.mrn ?? '')],
      ];
  const searched = bedsOnly ? typed.slice(1) : typed;
  const found = new Set<string>();
  for (const word of searched) {
    const field = fields.find(([, value]) => value.includes(word));
    if (field === undefined) return null;
    found.add(field[0]);
  }
  const nameWords = words(row.name);
  const namePrefix = !bedsOnly && typed.every((word) => nameWords.some((n) => n.startsWith(word)));
  if (namePrefix) return { row, kind: 'name', reason: 'name' };
  return { row, kind: 'contains', reason: [...found].join(', ') };
}

/** The rows matching `query`, best first (exact bed, exact MRN, name, other); all rows for an empty query. */
export function searchCensus<T extends SearchableRow>(rows: readonly T[], query: string): CensusMatch<T>[] {
  const typed = words(query);
  if (typed.length === 0) return rows.map((row) => ({ row, kind: 'contains', reason: '' }));
  const matches: Array<CensusMatch<T> & { order: number }> = [];
  rows.forEach((row, order) => {
    const found = match(row, query, typed);
    if (found !== null) matches.push({ ...found, order });
  });
  matches.sort((a, b) => RANK[a.kind] - RANK[b.kind] || a.order - b.order);
  return matches.map(({ row, kind, reason }) => ({ row, kind, reason }));
}

/** The rows matching `query`, best first; the same rows for an empty query. */
export function filterCensus<T extends SearchableRow>(rows: readonly T[], query: string): readonly T[] {
  if (words(query).length === 0) return rows;
  return searchCensus(rows, query).map((m) => m.row);
}
