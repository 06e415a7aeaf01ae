// Type-to-filter for the census: every word typed must appear in the patient's name, bed or MRN
// (case and accents ignored). The query stays in memory only; it is never stored.
import type { CensusEntryData } from '../../../../shared/contract/index.js';

/** Lower case without accents, so "jose" finds "José". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The rows matching `query`, in census order; all rows for an empty query. */
export function filterCensus<T extends Pick<CensusEntryData, 'name' | 'bed' | 'mrn'>>(rows: readonly T[], query: string): readonly T[] {
  const words = foldText(query)
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return rows;
  return rows.filter((row) => {
    const haystack = foldText([row.name, row.bed ?? '', row.mrn ?? ''].join(' '));
    return words.every((word) => haystack.includes(word));
  });
}
