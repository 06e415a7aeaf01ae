// Reading transaction and batch Bundles: entry URLs, limits, and urn:uuid references rewritten
// wherever they occur in a resource.
import { describe, expect, it } from 'vitest';
import { MAX_BUNDLE_ENTRIES, parseBundleRequest, parseEntryUrl, rewriteReferences } from './bundle-request.js';

describe('bundle requests', () => {
  it('splits entry URLs, relative or under the hub base', () => {
    const base = 'https://hub.example/fhir';
    expect(parseEntryUrl('Observation', base)).toMatchObject({ type: 'Observation' });
    expect(parseEntryUrl(`${base}/Observation/o1`, base)).toMatchObject({ type: 'Observation', id: 'o1' });
    expect(parseEntryUrl('Observation/o1/_history/3', base)).toMatchObject({ type: 'Observation', id: 'o1', version: '3' });
    expect(parseEntryUrl('Patient/p1/$everything?_count=5', base)).toMatchObject({ type: 'Patient', id: 'p1', operation: 'everything' });
    expect(parseEntryUrl('Observation?identifier=a|b', base)!.query.get('identifier')).toBe('a|b');
    expect(parseEntryUrl('../../etc/passwd', base)).toBeNull();
    expect(parseEntryUrl('observation/1', base)).toBeNull();
  });

  it('refuses more than the maximum number of entries with 413', () => {
    const entry = Array.from({ length: MAX_BUNDLE_ENTRIES + 1 }, () => ({ request: { method: 'GET', url: 'Patient/p' } }));
    expect(() => parseBundleRequest({ resourceType: 'Bundle', type: 'batch', entry }, 'https://h/fhir')).toThrow(
      expect.objectContaining({ status: 413 }),
    );
    expect(parseBundleRequest({ resourceType: 'Bundle', type: 'batch', entry: entry.slice(1) }, 'https://h/fhir').entries).toHaveLength(
      MAX_BUNDLE_ENTRIES,
    );
  });

  it('names the entry that is malformed', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ request: { method: 'GET', url: 'Patient/p' } }, { request: { method: 'POST', url: 'Observation' } }],
    };
    expect(() => parseBundleRequest(bundle, 'https://h/fhir')).toThrow(/Bundle\.entry\[1\] needs a resource/);
  });

  it('rewrites urn:uuid references deep inside resources, and nothing else', () => {
    const resource = {
      resourceType: 'Provenance',
      target: [{ reference: 'urn:uuid:a' }, { reference: 'Patient/p' }],
      agent: [{ who: { reference: 'urn:uuid:b' }, onBehalfOf: { reference: 'urn:uuid:unknown' } }],
      note: [{ text: 'urn:uuid:a' }],
    };
    rewriteReferences(
      resource,
      new Map([
        ['urn:uuid:a', 'Observation/1'],
        ['urn:uuid:b', 'Practitioner/2'],
      ]),
    );
    expect(resource.target.map((t) => t.reference)).toEqual(['Observation/1', 'Patient/p']);
    expect(resource.agent[0]!.who.reference).toBe('Practitioner/2');
    expect(resource.agent[0]!.onBehalfOf.reference).toBe('urn:uuid:unknown');
    expect(resource.note[0]!.text).toBe('urn:uuid:a');
  });
});
