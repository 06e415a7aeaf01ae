// Incremental pull of one resource type: `{Type}/_history?_since={T}` with T the hub time the last
// walk was complete up to (Bundle.meta.lastUpdated, never this workstation's clock). Pages come
// newest first; each is applied in one vault transaction with the walk's next link, and the last
// page moves the checkpoint on. A walk cut short by a crash resumes from its stored next
// link; tombstones keep deletions from being undone by older versions on later pages.
import type { Resource } from '../../shared/fhir/index.js';
import { readBundlePage } from './bundle-reading.js';
import { walkPages } from './paged-walk.js';
import { applyOptionsFor, keepInScope, type PullContext } from './pull-context.js';
import { addCounts, applyVersions } from './version-apply.js';

/** Walks `type` since `since`; with `ready`, pages are fetched at once but written only after it settles. */
export async function walkHistory(context: PullContext, type: string, since: string, ready?: Promise<unknown>): Promise<void> {
  const { vault, client, policy } = context;
  const firstUrl = vault.sync.walk(type) ?? `/fhir/${type}/_history?_since=${encodeURIComponent(since)}&_count=${policy.pageSize}`;
  const seen = new Set<string>();
  await walkPages(
    async (url) => readBundlePage(await client.getJson(url), 'history'),
    firstUrl,
    (pages) => {
      const locations = new Map<string, Resource>();
      for (const page of pages) {
        for (const version of page.versions) {
          if (version.resource?.resourceType === 'Location' && !locations.has(version.id)) locations.set(version.id, version.resource);
        }
      }
      const last = pages[pages.length - 1]!;
      // Nothing new since the last walk: leave the vault untouched (no commit).
      if (
        pages.length === 1 &&
        last.next === null &&
        last.size === 0 &&
        vault.sync.walk(type) === null &&
        vault.checkpoints.get(type) === last.lastUpdated
      )
        return;
      const keep = keepInScope(context, locations);
      vault.transaction(() => {
        for (const page of pages) addCounts(context.counts, applyVersions(applyOptionsFor(context, keep, seen), page.versions));
        if (last.next !== null) {
          vault.sync.setWalk(type, last.next);
        } else {
          vault.checkpoints.set(type, last.lastUpdated);
          vault.sync.endWalk(type);
        }
      });
    },
    0,
    ready,
  );
}
