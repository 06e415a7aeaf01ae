// First load of reference data (Location, Practitioner): a paged search of the whole type, kept to
// what this ward needs (its own Locations: the ward and what lies under it), written in one
// transaction with the type's first checkpoint (the hub time of the first page).
import type { Resource } from '../../shared/fhir/index.js';
import { readBundlePage, type IncomingVersion } from './bundle-reading.js';
import { applyOptionsFor, keepInScope, type PullContext } from './pull-context.js';
import { addCounts, applyVersions } from './version-apply.js';

export async function loadReferenceType(context: PullContext, type: string): Promise<void> {
  const { client, vault, policy } = context;
  let url: string | null = `/fhir/${type}?_count=${policy.pageSize}`;
  let firstLastUpdated: string | null = null;
  const versions: IncomingVersion[] = [];
  while (url !== null) {
    const page = readBundlePage(await client.getJson(url), 'searchset');
    firstLastUpdated ??= page.lastUpdated;
    versions.push(...page.versions.filter((version) => version.mode === 'match'));
    url = page.next;
  }
  const locations = new Map<string, Resource>();
  for (const version of versions) {
    if (version.resource?.resourceType === 'Location') locations.set(version.id, version.resource);
  }
  const keep = keepInScope(context, locations);
  vault.transaction(() => {
    addCounts(context.counts, applyVersions(applyOptionsFor(context, keep), versions));
    vault.checkpoints.set(type, firstLastUpdated!);
  });
}
