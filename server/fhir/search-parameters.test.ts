// Search parameters: what the capability table allows, token and reference forms, prefixes on
// _lastUpdated, page sizes; anything else is refused with a clear 400.
import { describe, expect, it } from 'vitest';
import { MAX_PAGE_SIZE, parseSearch, splitEscaped } from './search-parameters.js';

const parse = (type: string, query: string) => parseSearch(type, new URLSearchParams(query));

describe('search parameters', () => {
  it('reads the census query', () => {
    const parsed = parse('Encounter', 'location=Location/ward-a&status=in-progress&_include=Encounter:patient');
    expect(parsed.filters).toEqual([
      { kind: 'token', param: 'location', alternatives: [{ value: 'Location/ward-a' }] },
      { kind: 'status', values: ['in-progress'] },
    ]);
    expect(parsed.includes).toEqual(['Encounter:patient']);
  });

  it('reads identifier tokens in all four forms, with escaped separators', () => {
    const parsed = parse('Observation', 'identifier=urn:sys|abc,|nosystem,urn:sys|,plain,urn:a\\|b|v\\,1');
    expect(parsed.filters).toEqual([
      {
        kind: 'token',
        param: 'identifier',
        alternatives: [
          { system: 'urn:sys', value: 'abc' },
          { system: '', value: 'nosystem' },
          { system: 'urn:sys' },
          { value: 'plain' },
          { system: 'urn:a|b', value: 'v,1' },
        ],
      },
    ]);
    expect(splitEscaped('a\\,b,c', ',')).toEqual(['a,b', 'c']);
  });

  it('reads patient references as ids, in every accepted form', () => {
    expect(parse('Observation', 'patient=p1').patientIds).toEqual(['p1']);
    expect(parse('Observation', 'subject=Patient/p2').patientIds).toEqual(['p2']);
    expect(parse('Observation', 'patient=https://hub.example/fhir/Patient/p3').patientIds).toEqual(['p3']);
    expect(() => parse('Observation', 'subject=Group/g1')).toThrow(/Patient\/\{id\}/);
  });

  it('reads _lastUpdated prefixes and caps _count', () => {
    const parsed = parse('Observation', '_lastUpdated=gt2024-05-01T10:00:00Z&_lastUpdated=le2024-06&_count=99999&_sort=-_lastUpdated');
    expect(parsed.filters.map((f) => (f.kind === 'lastUpdated' ? f.comparator : f.kind))).toEqual(['gt', 'le']);
    expect(parsed.count).toBe(MAX_PAGE_SIZE);
    expect(parsed.order).toBe('-lastUpdated');
  });

  it('refuses what it does not support, with a 400 naming the parameter', () => {
    const refusals: [string, string][] = [
      ['Encounter', 'code=1234-5'],
      ['Observation', 'date=2026-02-30T25:00'],
      ['Observation', '_total=exact'],
      ['Observation', 'identifier:missing=true'],
      ['Observation', '_lastUpdated=soon'],
      ['Observation', '_count=ten'],
      ['Observation', '_sort=status'],
      ['Patient', '_include=Encounter:patient'],
      ['Observation', 'status='],
      ['Patient', 'location=ward-a'],
    ];
    for (const [type, query] of refusals) {
      expect(() => parse(type, query), query).toThrow(expect.objectContaining({ status: 400, code: 'INVALID_SEARCH' }));
    }
    expect(() => parse('Spaceship', '')).toThrow(expect.objectContaining({ status: 404 }));
  });
});
