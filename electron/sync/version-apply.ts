// Applies versions from the hub to the vault, inside the caller's transaction: a version is written
// only when it is newer than what the vault holds, a deletion removes only an older copy, and
// nothing overwrites a resource with a local change waiting in the outbox. During a history walk
// (newest first) the first version of a resource wins, and deletions leave tombstones so a resumed
// walk does not bring an older version back. A newer version that no longer belongs here (off the
// ward, or out of the cache window: a problem resolved or an order stopped long ago) removes the
// older copy. A hub copy of something created here replaces the local copy (same client UUID).
import type { Logger } from 'pino';
import { isSupportedResourceType, type Resource, type SupportedResourceType } from '../../shared/fhir/index.js';
import { isVaultError, type Vault } from '../vault/index.js';
import type { IncomingVersion } from './bundle-reading.js';
import { clientIdOf } from './client-identifier.js';

export interface ApplyOptions {
  readonly vault: Vault;
  readonly logger: Logger;
  /** "Type/id" of resources with a local change waiting: left as they are. */
  readonly pendingKeys: ReadonlySet<string>;
  /** Whether a resource belongs in this vault (ward scope); others are skipped. */
  readonly keep: (resource: Resource) => boolean;
  /** Set during a history walk: keys already handled in this walk (newer versions came first). */
  readonly seen?: Set<string>;
}

export interface ApplyCounts {
  written: number;
  deleted: number;
  skipped: number;
  invalid: number;
}

export function emptyCounts(): ApplyCounts {
  return { written: 0, deleted: 0, skipped: 0, invalid: 0 };
}

export function addCounts(into: ApplyCounts, more: ApplyCounts): void {
  into.written += more.written;
  into.deleted += more.deleted;
  into.skipped += more.skipped;
  into.invalid += more.invalid;
}

function storedVersion(vault: Vault, type: SupportedResourceType, id: string): number | null | undefined {
  const stored = vault.resources.versionOf(type, id);
  if (stored === null) return undefined;
  return stored.versionId === null ? null : Number(stored.versionId);
}

/** Writes what is newer than the vault's copy. Call inside vault.transaction. */
export function applyVersions(options: ApplyOptions, versions: readonly IncomingVersion[]): ApplyCounts {
  const { vault, pendingKeys, keep, seen } = options;
  const counts = emptyCounts();
  const writes: Resource[] = [];
  const replacedLocal: Array<{ type: SupportedResourceType; id: string }> = [];
  for (const incoming of versions) {
    const { type, id, version } = incoming;
    const key = `${type}/${id}`;
    if (!isSupportedResourceType(type) || pendingKeys.has(key)) {
      counts.skipped += 1;
      continue;
    }
    if (seen !== undefined) {
      if (seen.has(key)) {
        counts.skipped += 1;
        continue;
      }
      seen.add(key);
      const tombstone = vault.sync.tombstone(type, id);
      if (tombstone !== null && tombstone >= version) {
        counts.skipped += 1;
        continue;
      }
    }
    const stored = storedVersion(vault, type, id);
    if (incoming.resource === null) {
      if (seen !== undefined) vault.sync.addTombstone(type, id, version);
      if (stored !== undefined && (stored === null || stored < version)) {
        vault.resources.delete(type, id);
        counts.deleted += 1;
      } else {
        counts.skipped += 1;
      }
      continue;
    }
    if (stored !== undefined && stored !== null && stored >= version) {
      counts.skipped += 1;
      continue;
    }
    const clientId = clientIdOf(incoming.resource);
    if (clientId !== undefined && clientId !== id && !pendingKeys.has(`${type}/${clientId}`)) replacedLocal.push({ type, id: clientId });
    if (!keep(incoming.resource)) {
      if (stored !== undefined && stored !== null) {
        if (seen !== undefined) vault.sync.addTombstone(type, id, version);
        vault.resources.delete(type, id);
        counts.deleted += 1;
      } else {
        counts.skipped += 1;
      }
      continue;
    }
    writes.push(incoming.resource);
  }
  counts.written += writeAll(options, writes, counts);
  for (const local of replacedLocal) {
    const copy = vault.resources.versionOf(local.type, local.id);
    if (copy !== null && copy.versionId === null) vault.resources.delete(local.type, local.id);
  }
  return counts;
}

/** upsertMany; when the vault refuses one resource, the others are written one by one. */
function writeAll(options: ApplyOptions, writes: readonly Resource[], counts: ApplyCounts): number {
  if (writes.length === 0) return 0;
  try {
    return options.vault.resources.upsertMany(writes);
  } catch (error) {
    if (!isVaultError(error, 'INVALID_RESOURCE')) throw error;
  }
  let written = 0;
  for (const resource of writes) {
    try {
      options.vault.resources.upsert(resource);
      written += 1;
    } catch (error) {
      if (!isVaultError(error, 'INVALID_RESOURCE')) throw error;
      counts.invalid += 1;
      options.logger.warn(
        { event: 'sync.invalid_resource', type: resource.resourceType, id: resource.id, path: error.path },
        'hub resource refused by the vault; skipped',
      );
    }
  }
  return written;
}
