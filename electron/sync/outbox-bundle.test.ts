import { describe, expect, it } from 'vitest';
import type { Observation, Provenance } from '../../shared/fhir/index.js';
import type { OutboxEntry } from '../vault/index.js';
import { CLIENT_ID_SYSTEM } from './client-identifier.js';
import { outboxBundle, sameContent } from './outbox-bundle.js';

const created: Observation & { id: string } = {
  resourceType: 'Observation',
  id: 'c0ffee00-0000-4000-8000-000000000001',
  identifier: [{ system: CLIENT_ID_SYSTEM, value: 'c0ffee00-0000-4000-8000-000000000001' }],
  status: 'final',
  code: { text: 'Heart rate' },
  subject: { reference: 'Patient/p1' },
};
const changed: Observation & { id: string } = {
  resourceType: 'Observation',
  id: 'hub-obs-7',
  meta: { versionId: '3', lastUpdated: '2026-01-15T10:00:00Z' },
  status: 'entered-in-error',
  code: { text: 'Heart rate' },
};
const provenance: Provenance & { id: string } = {
  resourceType: 'Provenance',
  id: 'prov-1',
  recorded: '2026-01-15T10:00:00Z',
  agent: [{ who: { reference: 'Practitioner/n1' } }],
  target: [{ reference: `Observation/${created.id}` }, { reference: 'Patient/p1' }],
};

function entry(items: OutboxEntry['items'], withProvenance: boolean): OutboxEntry {
  return {
    seq: 1,
    entryId: 'e1',
    patientId: 'p1',
    items,
    provenance: withProvenance ? provenance : null,
    createdAt: '2026-01-15T10:00:00Z',
    attempts: 0,
    lastError: null,
  };
}

describe('outbox bundle', () => {
  it('sends creates as conditional POSTs on their client id, so a retry cannot make a second copy', () => {
    const { bundle, slots } = outboxBundle([entry([{ operation: 'create', resource: created, baseVersion: null }], true)]);
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry[0]).toMatchObject({
      fullUrl: `urn:uuid:${created.id}`,
      request: { method: 'POST', url: 'Observation', ifNoneExist: `identifier=${CLIENT_ID_SYSTEM}|${created.id}` },
    });
    expect((bundle.entry[0] as { resource: { id?: string } }).resource.id).toBeUndefined();
    expect(bundle.entry[1]).toMatchObject({
      request: { method: 'PUT', url: 'Provenance/prov-1' },
      resource: { target: [{ reference: `urn:uuid:${created.id}` }, { reference: 'Patient/p1' }] },
    });
    expect(slots).toEqual([
      { entryId: 'e1', item: 0 },
      { entryId: 'e1', item: -1 },
    ]);
  });

  it('sends updates with If-Match on the version they were made on, without the local meta', () => {
    const { bundle } = outboxBundle([entry([{ operation: 'update', resource: changed, baseVersion: '3' }], false)]);
    expect(bundle.entry[0]).toMatchObject({ request: { method: 'PUT', url: 'Observation/hub-obs-7', ifMatch: 'W/"3"' } });
    expect((bundle.entry[0] as { resource: { meta?: unknown } }).resource.meta).toBeUndefined();
  });

  it('compares content without meta and without regard to key order', () => {
    const reordered = {
      code: changed.code,
      status: changed.status,
      id: changed.id,
      resourceType: 'Observation',
      meta: { versionId: '4' },
    } as Observation;
    expect(sameContent(changed, reordered)).toBe(true);
    expect(sameContent(changed, { ...reordered, status: 'final' } as Observation)).toBe(false);
  });
});
