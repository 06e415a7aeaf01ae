// Applies versions from the hub to the vault, inside the caller's transaction: a version is written
// only when it is newer than what the vault holds, a deletion removes only an older copy, and
// nothing overwrites a resource with a local change waiting in the outbox. During a history walk
// (newest first) the first version of a resource wins, and deletions leave tombstones so a resumed
// walk does not bring an older version back. A newer version that no longer belongs here (off the
// ward, or out of the cache window: a problem resolved or an order stopped long ago) removes the
// older copy. A hub copy of something created here replaces the local copy (same client UUID).
// A version the hub tagged as conflicting with the EHR lists an upstream conflict, also when it is
// not kept here (the patient left the ward: the hub still sends it to the wards that held the stay);
// a later version without the tag (settled, here or elsewhere) removes it (upstream-conflict-records.ts).
//
// In two steps: `prepareVersions` validates each resource and keeps only what the apply needs (its
// row, its scope, its client id), so a page can be prepared as it arrives and its parsed JSON
// dropped at once (an initial load queues pages for a shared transaction: rows are a fraction of
// the parsed objects); `applyPrepared` decides and writes inside the transaction, against the
// vault and the outbox as they are then.
import type { Logger } from 'pino';
import { isSupportedResourceType, type Resource, type SupportedResourceType } from '../../shared/fhir/index.js';
import { isVaultError, type NewConflict, type PreparedResource, type Vault } from '../vault/index.js';
import type { IncomingVersion } from './bundle-reading.js';
import { clientIdOf } from './client-identifier.js';
import { mayCarryUpstreamConflict, upstreamConflictId, upstreamConflictRecord } from './upstream-conflict-records.js';

export interface PrepareOptions {
  readonly vault: Vault;
  /** Whether a resource belongs in this vault (ward scope); others are skipped. */
  readonly keep: (resource: Resource) => boolean;
}

export interface ApplyOptions extends PrepareOptions {
  readonly logger: Logger;
  /** "Type/id" of resources with a local change waiting: left as they are. */
  readonly pendingKeys: ReadonlySet<string>;
  /** Set during a history walk: keys already handled in this walk (newer versions came first). */
  readonly seen?: Set<string>;
}

/** An incoming version without its parsed resource: what applyPrepared needs. */
export interface PreparedVersion {
  readonly type: string;
  readonly id: string;
  readonly version: number;
  /** A deletion (no resource). */
  readonly deleted: boolean;
  /** The client UUID the resource carries, when it was created on a workstation. */
  readonly clientId: string | undefined;
  /** Whether it belongs in this vault (false for deletions). */
  readonly kept: boolean;
  /** The validated row, when it is kept and valid. */
  readonly prepared: PreparedResource | null;
  /** Where the vault found it invalid, when it is kept but invalid. */
  readonly invalidPath: string | null;
  /**
   * For workstation documentation (kept here or not): the upstream conflict this version records (the
   * hub tagged it), or null when it records none (and so settles any listed before). Undefined otherwise.
   */
  readonly upstreamConflict?: NewConflict | null;
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

/**
 * The vault's version of each resource among `versions`, by "Type/id", in one query per type (a
 * page holds thousands): a number, null when the hub assigned none yet; absent when not stored.
 */
function storedVersions(vault: Vault, versions: readonly PreparedVersion[]): Map<string, number | null> {
  const idsByType = new Map<SupportedResourceType, string[]>();
  for (const { type, id } of versions) {
    if (!isSupportedResourceType(type)) continue;
    const ids = idsByType.get(type);
    if (ids === undefined) idsByType.set(type, [id]);
    else ids.push(id);
  }
  const stored = new Map<string, number | null>();
  for (const [type, ids] of idsByType) {
    for (const [id, versionId] of vault.resources.versionsOf(type, ids))
      stored.set(`${type}/${id}`, versionId === null ? null : Number(versionId));
  }
  return stored;
}

/** Writes what is newer than the vault's copy. Call inside vault.transaction. */
export function applyVersions(options: ApplyOptions, versions: readonly IncomingVersion[]): ApplyCounts {
  return applyPrepared(options, prepareVersions(options, versions));
}

/** Validates and scopes each version's resource (a supported type only); writes nothing. */
export function prepareVersions(options: PrepareOptions, versions: readonly IncomingVersion[]): PreparedVersion[] {
  return versions.map((incoming) => prepareVersion(options, incoming));
}

/**
 * Validates and scopes one version's resource; writes nothing. `resourceJson`, when given, is the
 * text (or its UTF-8 bytes) the resource was parsed from: the vault stores it as it is.
 */
export function prepareVersion(options: PrepareOptions, incoming: IncomingVersion, resourceJson?: string | Buffer | null): PreparedVersion {
  const { type, id, version, resource } = incoming;
  const base = { type, id, version, deleted: resource === null, clientId: undefined, kept: false, prepared: null, invalidPath: null };
  if (resource === null || !isSupportedResourceType(type)) return base;
  const clientId = clientIdOf(resource);
  const upstream = mayCarryUpstreamConflict(resource) ? { upstreamConflict: upstreamConflictRecord(resource, version) } : {};
  // Not kept here (the patient left the ward): an upstream conflict of it is still listed, or settled.
  if (!options.keep(resource)) return { ...base, clientId, ...upstream };
  try {
    return { ...base, clientId, kept: true, prepared: options.vault.resources.prepare(resource, resourceJson ?? undefined), ...upstream };
  } catch (error) {
    if (!isVaultError(error, 'INVALID_RESOURCE')) throw error;
    return { ...base, clientId, kept: true, invalidPath: error.path ?? null };
  }
}

/** Writes what is newer than the vault's copy, of versions prepared earlier. Call inside vault.transaction. */
export function applyPrepared(options: Omit<ApplyOptions, 'keep'>, versions: readonly PreparedVersion[]): ApplyCounts {
  const { vault, pendingKeys, seen, logger } = options;
  const counts = emptyCounts();
  const writes: PreparedResource[] = [];
  const replacedLocal: Array<{ type: SupportedResourceType; id: string }> = [];
  const upstreamConflicts: Array<NewConflict | { type: string; id: string }> = [];
  // What the vault holds as the page is applied, kept up to date with what the page changes.
  const storedByKey = storedVersions(vault, versions);
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
    const stored = storedByKey.get(key);
    if (incoming.deleted) {
      if (seen !== undefined) vault.sync.addTombstone(type, id, version);
      if (stored !== undefined && (stored === null || stored < version)) {
        vault.resources.delete(type, id);
        storedByKey.delete(key);
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
    const { clientId } = incoming;
    if (clientId !== undefined && clientId !== id && !pendingKeys.has(`${type}/${clientId}`)) replacedLocal.push({ type, id: clientId });
    if (!incoming.kept) {
      // The hub sends a ward the versions of documentation held as a conflict with the EHR even after
      // its patient left (and was purged here): the conflict is listed, or removed once settled.
      if (incoming.upstreamConflict !== undefined) upstreamConflicts.push(incoming.upstreamConflict ?? { type, id });
      if (stored !== undefined && stored !== null) {
        if (seen !== undefined) vault.sync.addTombstone(type, id, version);
        vault.resources.delete(type, id);
        storedByKey.delete(key);
        counts.deleted += 1;
      } else {
        counts.skipped += 1;
      }
      continue;
    }
    if (incoming.prepared === null) {
      counts.invalid += 1;
      logger.warn({ event: 'sync.invalid_resource', type, id, path: incoming.invalidPath }, 'hub resource refused by the vault; skipped');
      continue;
    }
    writes.push(incoming.prepared);
    storedByKey.set(key, version);
    if (incoming.upstreamConflict !== undefined) upstreamConflicts.push(incoming.upstreamConflict ?? { type, id });
  }
  if (writes.length > 0) counts.written += vault.resources.upsertPrepared(writes);
  for (const conflict of upstreamConflicts) {
    if (!('conflictId' in conflict)) vault.conflicts.remove(upstreamConflictId(conflict.type, conflict.id));
    else if (vault.conflicts.get(conflict.conflictId) === null) vault.conflicts.add(conflict);
  }
  for (const local of replacedLocal) {
    const copy = vault.resources.versionOf(local.type, local.id);
    if (copy !== null && copy.versionId === null) vault.resources.delete(local.type, local.id);
  }
  return counts;
}
