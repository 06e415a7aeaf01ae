import { describe, expect, it } from 'vitest';
import { filterCensus, foldText } from './census-filter.js';

const rows = [
  { name: 'José Álvarez', bed: '4A-01', mrn: 'MRN1001' },
  { name: 'Mary Smith', bed: '4A-02', mrn: 'MRN1002' },
  { name: 'Marek Nowak', bed: '4A-10', mrn: null },
];

describe('census search', () => {
  it('finds patients by name ignoring case and accents', () => {
    expect(filterCensus(rows, 'jose').map((r) => r.bed)).toEqual(['4A-01']);
    expect(filterCensus(rows, 'MAR').map((r) => r.bed)).toEqual(['4A-02', '4A-10']);
  });

  it('finds by bed or MRN, and needs every word typed', () => {
    expect(filterCensus(rows, '4a-1').map((r) => r.name)).toEqual(['Marek Nowak']);
    expect(filterCensus(rows, 'mrn1002').map((r) => r.name)).toEqual(['Mary Smith']);
    expect(filterCensus(rows, 'mar smith')).toHaveLength(1);
  });

  it('keeps the census order and shows everyone for an empty query', () => {
    expect(filterCensus(rows, '   ')).toBe(rows);
    expect(foldText('Ärztin')).toBe('arztin');
  });
});
