// The hub keeps a content hash for every AuditEvent it holds; a re-sent event is recognised by it.
// The hash must not change under the events already stored: this one was computed by the hub's own
// canonical JSON before the workstation's and the hub's writers became one (shared/json).
import { describe, expect, it } from 'vitest';
import { contentHash } from './content-hash.js';

const event = {
  resourceType: 'AuditEvent',
  id: 'ae-0001',
  meta: { versionId: '3', lastUpdated: '2026-01-15T10:00:00Z' },
  type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110', display: 'Patient Record' },
  recorded: '2026-01-15T09:59:58.123Z',
  outcome: '0',
  agent: [{ who: { identifier: { system: 'https://wardline.example/fhir/user', value: 'u-nurse-1' } }, requestor: true }],
  source: { observer: { reference: 'Device/dev-1' } },
  entity: [{ what: { reference: 'Patient/p-1' }, detail: [{ type: 'übergabe €😀', valueString: 'a\u2028b "q" \\ \u0001' }] }],
  extension: [
    { url: 'z', valueInteger: 1e21 },
    { url: 'a', valueDecimal: 0.1 },
    { url: 'ö', valueDecimal: -0 },
    { url: '\uFB33', valueDecimal: 5e-324 },
  ],
};

describe("the hub's content hash of an AuditEvent", () => {
  it('is the hash the hub has always stored for it, parsed from the wire or not', () => {
    const expected = 'fda0073d2b6b6e0cbff41b294fc8b18480900c8e4190c15b905f7525b28a4514';
    expect(contentHash(event)).toBe(expected);
    expect(contentHash(JSON.parse(JSON.stringify(event)) as object)).toBe(expected);
  });

  it('ignores meta and key order, and sees any change of content', () => {
    const reordered = Object.fromEntries(Object.entries(event).reverse());
    expect(contentHash({ ...reordered, meta: { versionId: '9' } })).toBe(contentHash(event));
    expect(contentHash({ ...event, outcome: '4' })).not.toBe(contentHash(event));
  });
});
