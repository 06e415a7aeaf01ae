// The transaction Bundle for outbox entries: creates are POSTs with `ifNoneExist` on their client
// UUID (a retry finds the first copy instead of making a second), updates are PUTs with `ifMatch`
// on the version they were made on, a downtime Provenance is a PUT under its client id pointing at
// the created resources through their urn:uuid. `slots` says which entry each Bundle entry serves.
import type { Provenance, Resource } from '../../shared/fhir/index.js';
import { sameJson } from '../../shared/json/index.js';
import type { OutboxEntry, OutboxItem } from '../vault/index.js';
import { ifNoneExistFor } from './client-identifier.js';

export interface BundleSlot {
  readonly entryId: string;
  /** The item's index in the entry, or -1 for the entry's Provenance. */
  readonly item: number;
}

export interface OutboxBundle {
  readonly bundle: { resourceType: 'Bundle'; type: 'transaction'; entry: unknown[] };
  readonly slots: BundleSlot[];
}

/** The resource as the hub should receive it: no local meta (the hub sets versionId and lastUpdated). */
export function withoutServerMeta<T extends Resource>(resource: T): T {
  if (resource.meta === undefined) return resource;
  const { versionId: _versionId, lastUpdated: _lastUpdated, ...rest } = resource.meta;
  const copy = { ...resource } as T & { meta?: unknown };
  if (Object.keys(rest).length === 0) delete copy.meta;
  else copy.meta = rest;
  return copy;
}

function itemEntry(item: OutboxItem): unknown {
  const { resourceType, id } = item.resource;
  if (item.operation === 'create') {
    const { id: _id, ...body } = withoutServerMeta(item.resource);
    return { fullUrl: `urn:uuid:${id}`, resource: body, request: { method: 'POST', url: resourceType, ifNoneExist: ifNoneExistFor(id) } };
  }
  return {
    fullUrl: `${resourceType}/${id}`,
    resource: withoutServerMeta(item.resource),
    request: { method: 'PUT', url: `${resourceType}/${id}`, ifMatch: `W/"${item.baseVersion ?? '0'}"` },
  };
}

function provenanceEntry(provenance: Provenance & { id: string }, created: ReadonlyMap<string, string>): unknown {
  const target = provenance.target.map((reference) => {
    const local = reference.reference === undefined ? undefined : created.get(reference.reference);
    return local === undefined ? reference : { ...reference, reference: local };
  });
  const body = { ...withoutServerMeta(provenance), target };
  return { fullUrl: `Provenance/${provenance.id}`, resource: body, request: { method: 'PUT', url: `Provenance/${provenance.id}` } };
}

export function outboxBundle(entries: readonly OutboxEntry[]): OutboxBundle {
  const entry: unknown[] = [];
  const slots: BundleSlot[] = [];
  for (const outboxEntry of entries) {
    const created = new Map<string, string>();
    outboxEntry.items.forEach((item, index) => {
      entry.push(itemEntry(item));
      slots.push({ entryId: outboxEntry.entryId, item: index });
      if (item.operation === 'create') created.set(`${item.resource.resourceType}/${item.resource.id}`, `urn:uuid:${item.resource.id}`);
    });
    if (outboxEntry.provenance !== null) {
      entry.push(provenanceEntry(outboxEntry.provenance, created));
      slots.push({ entryId: outboxEntry.entryId, item: -1 });
    }
  }
  return { bundle: { resourceType: 'Bundle', type: 'transaction', entry }, slots };
}

/** Canonical JSON without meta: whether the hub holds exactly what was sent. */
export function sameContent(a: Resource, b: Resource): boolean {
  return sameJson(stripMeta(a), stripMeta(b));
}

function stripMeta(resource: Resource): unknown {
  const { meta: _meta, ...rest } = resource as Resource & { meta?: unknown };
  return rest;
}
