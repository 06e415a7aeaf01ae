import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateWard } from '../../../../shared/synthetic/index.js';
import { filterCensus, foldText, searchCensus } from './census-filter.js';

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

// The census of a generated ward as the host lists it: bed order, "Family, Given", MRN.
const ward = generateWard({ seed: 'census-search', patients: 45, days: 1 });
const census = ward.patients.map((p) => {
  const name = p.patient.name?.[0];
  return {
    patientId: p.patient.id!,
    name: `${name?.family ?? ''}, ${(name?.given ?? []).join(' ')}`,
    bed: p.encounter.location?.find((l) => l.location.display?.startsWith('Bed ') === true)?.location.display ?? null,
    mrn: p.patient.identifier?.find((i) => i.value?.startsWith('MRN'))?.value ?? null,
  };
});
const inBed = (n: number) => census.find((r) => r.bed === `Bed ${n}`)!;

describe('patient search over a generated ward', () => {
  it('opens bed 7 for "bed 7" and "7", and bed 40 for "Bed 40", ahead of beds 1, 17 and 21', () => {
    for (const query of ['bed 7', '7', 'Bed 7', ' BED  07 ']) {
      const [first] = searchCensus(census, query);
      expect(first, query).toMatchObject({ row: inBed(7), kind: 'exact-bed', reason: 'exact bed' });
    }
    expect(searchCensus(census, 'Bed 40')[0]).toMatchObject({ row: inBed(40), kind: 'exact-bed' });
    expect(
      searchCensus(census, 'bed 7')
        .slice(1)
        .map((m) => m.kind),
    ).not.toContain('exact-bed');
  });

  it('opens the patient of an MRN, typed whole or as its number, and a surname', () => {
    const patient = inBed(23);
    expect(searchCensus(census, patient.mrn!)[0]).toMatchObject({ row: patient, kind: 'exact-mrn', reason: 'exact MRN' });
    expect(searchCensus(census, patient.mrn!.replace(/^MRN0*/, ''))[0]?.row).toBe(patient);
    const surname = patient.name.split(',')[0]!;
    const bySurname = searchCensus(census, surname);
    expect(bySurname.map((m) => m.row)).toContain(patient);
    expect(bySurname[0]).toMatchObject({ kind: 'name', reason: 'name' });
    expect(bySurname.every((m) => foldText(m.row.name).includes(foldText(surname)))).toBe(true);
  });

  it('property: an exact bed match is always first, in any spelling, and listed once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: census.length }),
        fc.constantFrom('', 'bed ', 'Bed ', 'BED', 'bed  '),
        fc.boolean(),
        (bed, prefix, padded) => {
          const query = `${prefix}${padded ? String(bed).padStart(2, '0') : bed}`;
          const matches = searchCensus(census, query);
          expect(matches[0]?.row).toBe(inBed(bed));
          expect(matches.filter((m) => m.row === inBed(bed))).toHaveLength(1);
        },
      ),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('property: whatever is typed, every result matches it, best kind first, each with its reason', () => {
    const typed = fc.oneof(
      fc.constantFrom(...census.map((r) => r.mrn!)),
      fc.constantFrom(...census.map((r) => r.name.split(',')[0]!.slice(0, 3))),
      fc.integer({ min: 1, max: 60 }).map(String),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(typed, (query) => {
        const matches = searchCensus(census, query);
        const ranks = matches.map((m) => ['exact-bed', 'exact-mrn', 'name', 'contains'].indexOf(m.kind));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        if (query.replace(/[\s,]/g, '') !== '') for (const m of matches) expect(m.reason, query).not.toBe('');
        expect(new Set(matches.map((m) => m.row)).size).toBe(matches.length);
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });
});

describe('"bed …" searches beds only', () => {
  it('lists bed 7, then beds 17, 27 and 37, and no MRN that merely holds a 7', () => {
    const matches = searchCensus(census, 'bed 7');
    expect(matches.map((m) => m.row.bed)).toEqual(['Bed 7', 'Bed 17', 'Bed 27', 'Bed 37']);
    expect(matches.slice(1).every((m) => m.reason === 'bed')).toBe(true);
  });
});
