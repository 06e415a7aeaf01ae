// Delivering the outbox: entries go oldest first, several to a transaction Bundle. An entry leaves
// the outbox only in the same durable vault transaction that stores the hub's copies of what it
// created or changed (the hub's 2xx). A Bundle the hub refuses is split into single entries; an
// entry refused with 412 becomes a conflict record holding the local entry and the hub's current
// versions (unless the hub already holds exactly the local change, and every record the entry creates
// under its client id: a retry of an answered request; or a reading recorded again whose settlement
// with the EHR a colleague made first: the reading goes alone, or is found already there),
// any other refusal a 'rejected' record. When the hub holds what an entry said before a later local
// edit was folded into it (an earlier attempt whose answer was lost), the entry is rebased: its
// latest content goes again, on the hub's version, and neither change is lost nor met as a
// conflict. A conflict's combination an earlier release queued with a colleague's note in her name
// (refused since the note-author rule) goes again with that note in the combiner's name
// (combination-notes.ts). An entry chained after another (a colleague's change of a record that
// entry changed: OutboxItem.follows) waits for it: when it is delivered, the follower takes the
// version (and the id) the hub gave it as its base, in the same transaction; it is never in the same
// Bundle; should that entry become a conflict instead, the follower is kept as a conflict too (its
// base never reached the hub). Nothing is overwritten; nothing is lost. An entry of a
// patient whose chart the vault no longer holds (a settled conflict of a purged patient) is
// delivered the same way, and the hub's answer is not cached: that chart stays gone.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  isSupportedResourceType,
  RECORDED_AGAIN_POLICY_URI,
  UPSTREAM_WITHHELD_TAG_SYSTEM,
  type Resource,
} from '../../shared/fhir/index.js';
import { contentFingerprint, holdsPatient, type HubVersionOnly, type OutboxEntry, type OutboxItem, type Vault } from '../vault/index.js';
import type { HubClient } from './hub-client.js';
import { CLIENT_ID_SYSTEM } from './client-identifier.js';
import { combinationInCombinersName } from './combination-notes.js';
import { outboxBundle, sameContent, type BundleSlot } from './outbox-bundle.js';
import type { DeliveredEntry } from './recent-deliveries.js';
import { isSyncError, SyncError } from './sync-error.js';

export interface PushContext {
  readonly client: HubClient;
  readonly vault: Vault;
  readonly logger: Logger;
  readonly batchSize: number;
  readonly now: () => Date;
  /** Entries on the wire right now (local edits must not fold into them). */
  readonly inFlight: Set<string>;
}

export interface PushCounts {
  delivered: number;
  conflicts: number;
  rejected: number;
}

export interface PushResult extends PushCounts {
  /** The entries the hub acknowledged, in the order it did. */
  readonly deliveredEntries: DeliveredEntry[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function responseEntries(body: unknown, expected: number): Json[] {
  if (
    !isObject(body) ||
    body.resourceType !== 'Bundle' ||
    body.type !== 'transaction-response' ||
    !Array.isArray(body.entry) ||
    body.entry.length !== expected
  ) {
    throw new SyncError(
      'HUB_ANSWER_MALFORMED',
      'The hub answered an upload in a form this workstation cannot read; the entries stay in the outbox and are sent again later. Ask IT to check that hub and workstation versions match.',
    );
  }
  return body.entry.map((entry) => (isObject(entry) ? entry : {}));
}

/** Stores the hub's copy when it is newer than the vault's (or the vault's is a local copy). */
function storeHubCopy(vault: Vault, resource: Resource): void {
  if (!isSupportedResourceType(resource.resourceType) || typeof resource.id !== 'string') return;
  const stored = vault.resources.versionOf(resource.resourceType, resource.id);
  const incoming = Number(resource.meta?.versionId ?? 0);
  if (stored !== null && stored.versionId !== null && Number(stored.versionId) >= incoming) return;
  vault.resources.upsert(resource);
}

/** Whether the hub's copy says what one of the item's earlier, folded-over versions said. */
function holdsEarlierVersion(hubCopy: Resource, item: OutboxItem): boolean {
  return item.earlier !== undefined && item.earlier.length > 0 && item.earlier.includes(contentFingerprint(hubCopy));
}

/** The Provenance `provenance` with its targets renamed (client id to the hub's id of a created record). */
function renamedTargets(provenance: OutboxEntry['provenance'], renamed: ReadonlyMap<string, string>): OutboxEntry['provenance'] {
  if (provenance === null || renamed.size === 0) return provenance;
  const target = provenance.target.map((reference) => {
    const hubReference = reference.reference === undefined ? undefined : renamed.get(reference.reference);
    return hubReference === undefined ? reference : { ...reference, reference: hubReference };
  });
  return { ...provenance, target };
}

/** `items` with the `next` marks the stored entry holds (a follower chained while it was on its way). */
function withNextMarks(vault: Vault, entryId: string, items: readonly OutboxItem[]): OutboxItem[] {
  const stored = vault.outbox.get(entryId);
  return items.map((item, index) => {
    const next = stored?.items[index]?.next;
    return next === undefined || item.next !== undefined ? item : { ...item, next };
  });
}

/**
 * The hub took item `index` of `entry` (its copy: `hubCopy`): the entry chained after that item (its
 * `next`) takes the hub's version as its base (If-Match) and the hub's id of a record `entry`
 * created, its Provenance and cached copy too. Inside the delivery's transaction. Without the hub's
 * version the follower keeps waiting and is kept as a conflict when its turn comes (pushOutbox).
 */
function rebaseFollower(vault: Vault, entryId: string, item: OutboxItem | undefined, hubCopy: Resource | undefined, held: boolean): void {
  const followerId = item?.next;
  const version = hubCopy?.meta?.versionId;
  const hubId = hubCopy?.id;
  if (followerId === undefined || version === undefined || hubId === undefined) return;
  const follower = vault.outbox.get(followerId);
  if (follower === null) return;
  const renamed = new Map<string, string>();
  const items = follower.items.map((own): OutboxItem => {
    if (own.follows !== entryId) return own;
    const { follows: _follows, ...rest } = own;
    const { resourceType, id } = own.resource;
    if (id !== hubId) {
      renamed.set(`${resourceType}/${id}`, `${resourceType}/${hubId}`);
      if (isSupportedResourceType(resourceType) && held) vault.resources.delete(resourceType, id);
    }
    const meta = {
      ...(own.resource.meta ?? {}),
      versionId: version,
      ...(hubCopy?.meta?.lastUpdated === undefined ? {} : { lastUpdated: hubCopy.meta.lastUpdated }),
    };
    const resource = { ...own.resource, id: hubId, meta } as Resource & { id: string };
    if (held) vault.resources.upsert(resource);
    return { ...rest, operation: 'update', resource, baseVersion: version };
  });
  const provenance = renamedTargets(follower.provenance, renamed);
  if (provenance !== null && renamed.size > 0 && held) vault.resources.upsert(provenance);
  vault.outbox.rebase(follower.entryId, items, provenance);
}

/**
 * The entry's Provenance for the write that goes again: the same recorder and act under a new id (the
 * first is at the hub already), pointing at the hub's ids of what was created.
 */
function againProvenance(provenance: OutboxEntry['provenance'], renamed: ReadonlyMap<string, string>): OutboxEntry['provenance'] {
  const again = renamedTargets(provenance, renamed);
  if (again === null) return null;
  const { meta: _meta, ...content } = again;
  return { ...content, id: randomUUID() };
}

/**
 * The hub took an earlier attempt of `entry` (its answer was lost) and a later local edit was folded
 * in since. `onHub` holds, per item index, the hub's copy when that copy is the earlier version: those
 * items go again as updates on the hub's version (a create becomes an update of the hub's resource);
 * the others are delivered as they are. The entry's Provenance is at the hub already; a copy under a
 * new id goes with the rest (the hub holds every write to its recorder).
 */
function rebaseOnHub(vault: Vault, entry: OutboxEntry, onHub: ReadonlyMap<number, Resource>, answers: ReadonlyMap<number, Resource>): void {
  const held = holdsPatient(vault.resources, entry.patientId);
  const again: OutboxItem[] = [];
  const renamed = new Map<string, string>();
  vault.transaction(
    () => {
      const marked = withNextMarks(vault, entry.entryId, entry.items);
      entry.items.forEach((item, index) => {
        const { resourceType, id } = item.resource;
        const earlier = onHub.get(index);
        if (earlier === undefined) {
          const hubCopy = answers.get(index);
          if (hubCopy !== undefined && held) storeHubCopy(vault, hubCopy);
          if (item.operation === 'create' && hubCopy?.id !== id && isSupportedResourceType(resourceType))
            vault.resources.delete(resourceType, id);
          rebaseFollower(vault, entry.entryId, marked[index], hubCopy, held);
          return;
        }
        const hubId = earlier.id ?? id;
        const latest = { ...item.resource, id: hubId, meta: { ...(item.resource.meta ?? {}), ...(earlier.meta ?? {}) } } as Resource & {
          id: string;
        };
        if (hubId !== id && isSupportedResourceType(resourceType)) {
          vault.resources.delete(resourceType, id);
          renamed.set(`${resourceType}/${id}`, `${resourceType}/${hubId}`);
        }
        if (held) vault.resources.upsert(latest);
        const next = marked[index]?.next;
        again.push({
          operation: 'update',
          resource: latest,
          baseVersion: earlier.meta?.versionId ?? null,
          ...(next === undefined ? {} : { next }),
        });
      });
      const delivered = answers.get(-1);
      if (delivered !== undefined && held) storeHubCopy(vault, delivered);
      const provenance = againProvenance(entry.provenance, renamed);
      if (provenance !== null && held) vault.resources.upsert(provenance);
      vault.outbox.rebase(entry.entryId, again, provenance);
    },
    { durable: true },
  );
}

/** A create matched at the hub whose copy was changed since by someone else: a version conflict. */
const CHANGED_SINCE_FIRST_ATTEMPT = new SyncError('REQUEST_REFUSED', 'The hub holds a newer version of the documentation.', {
  status: 412,
  hubCode: 'VERSION_CONFLICT',
});

/** The hub took `entry`: its answer replaces the local copies, and the entry leaves the outbox. */
function recordDelivery(vault: Vault, entry: OutboxEntry, answers: ReadonlyMap<number, Resource>): void {
  const held = holdsPatient(vault.resources, entry.patientId);
  vault.transaction(
    () => {
      const marked = withNextMarks(vault, entry.entryId, entry.items);
      entry.items.forEach((item, index) => {
        const hubCopy = answers.get(index);
        if (hubCopy !== undefined && held) storeHubCopy(vault, hubCopy);
        const { resourceType, id } = item.resource;
        if (item.operation === 'create' && hubCopy?.id !== id && isSupportedResourceType(resourceType))
          vault.resources.delete(resourceType, id);
        // A colleague's change chained after this one goes on the version the hub just gave it.
        rebaseFollower(vault, entry.entryId, marked[index], hubCopy, held);
      });
      const provenance = answers.get(-1);
      if (provenance !== undefined && held) storeHubCopy(vault, provenance);
      vault.outbox.remove(entry.entryId);
    },
    { durable: true },
  );
}

/**
 * The hub's current version; null when it has none (404, 410). For a patient who left the ward the
 * hub still shows this device the current version of a record of the stay it may change (the one a
 * 412 named), so the conflict holds the colleague's copy as for a patient on the ward. Undefined when
 * the hub will not show it (403: a record it no longer lets this ward change, changed since its 412,
 * or a hub from before that rule): the conflict is then kept with this workstation's version and the
 * version number the 412 named (versionsNamedOnly), instead of failing every push after it.
 */
async function hubVersionOf(client: HubClient, type: string, id: string): Promise<Resource | null | undefined> {
  try {
    return (await client.getJson(`/fhir/${type}/${encodeURIComponent(id)}`)) as Resource;
  } catch (error) {
    if (isSyncError(error, 'REQUEST_REFUSED') && error.status === 403) return undefined;
    if (isSyncError(error, 'REQUEST_REFUSED') && [404, 410].includes(error.status ?? 0)) return null;
    throw error;
  }
}

/**
 * The hub's copy of each record `entry` creates, found by its client id (a conditional create's
 * match), by item; null when one is missing. With every change it makes held at the hub as sent, an
 * entry whose creates are all there went through (one transaction, all or nothing): a retry whose
 * answer was lost, or (a reading recorded again, whose client id the reading names) the same entry
 * sent by a colleague's workstation. Then nothing is sent twice, and no conflict is made of it.
 */
async function createdAtHub(client: HubClient, entry: OutboxEntry): Promise<Map<number, Resource> | null> {
  const found = new Map<number, Resource>();
  for (const [index, item] of entry.items.entries()) {
    if (item.operation !== 'create') continue;
    const query = `${CLIENT_ID_SYSTEM}|${item.resource.id}`;
    let bundle: { entry?: Array<{ resource?: Resource }> };
    try {
      bundle = (await client.getJson(`/fhir/${item.resource.resourceType}?identifier=${encodeURIComponent(query)}`)) as typeof bundle;
    } catch (error) {
      if (isSyncError(error, 'REQUEST_REFUSED')) return null;
      throw error;
    }
    const copy = bundle.entry?.[0]?.resource;
    if (copy === undefined) return null;
    found.set(index, copy);
  }
  return found;
}

/** One entry the hub refused (alone in its Bundle): a conflict, a rejection, or a retried success. */
async function settleRefusal(
  context: PushContext,
  entry: OutboxEntry,
  refusal: SyncError,
): Promise<'conflict' | 'rejected' | 'delivered' | 'rebased'> {
  const { vault, client } = context;
  const updates = entry.items.map((item, index) => ({ item, index })).filter(({ item }) => item.operation === 'update');
  const hub = new Map<number, Resource | null | undefined>();
  for (const { item, index } of updates) hub.set(index, await hubVersionOf(client, item.resource.resourceType, item.resource.id));
  const holdsOurChange = ({ item, index }: { item: OutboxItem; index: number }): boolean => {
    const current = hub.get(index);
    return current !== null && current !== undefined && sameContent(current, item.resource);
  };
  const created = refusal.status === 412 && updates.length > 0 && updates.every(holdsOurChange) ? await createdAtHub(client, entry) : null;
  if (created !== null) {
    // Our own earlier attempt went through (all or nothing, Provenance included); only its answer was lost.
    const answers = new Map<number, Resource>(created);
    for (const [index, resource] of hub) if (resource !== null && resource !== undefined) answers.set(index, resource);
    if (entry.provenance !== null) {
      const provenance = await hubVersionOf(client, 'Provenance', entry.provenance.id);
      if (provenance !== null && provenance !== undefined) answers.set(-1, provenance);
    }
    recordDelivery(vault, entry, answers);
    return 'delivered';
  }
  if (refusal.status === 412 && withdrawalAcceptedAtHub(entry, hub)) {
    // A reading recorded again whose settlement a colleague made first: the hub holds the reading
    // already (a colleague recorded it again too: the same client id), or it goes alone now.
    const readings = await createdAtHub(client, entry);
    if (readings !== null) {
      const answers = new Map<number, Resource>(readings);
      for (const [index, resource] of hub) if (resource !== null && resource !== undefined) answers.set(index, resource);
      recordDelivery(vault, entry, answers);
      return 'delivered';
    }
    readingsAlone(context, entry, hub);
    return 'rebased';
  }
  const holdsEarlier = ({ item, index }: { item: OutboxItem; index: number }): boolean => {
    const current = hub.get(index);
    return current !== null && current !== undefined && holdsEarlierVersion(current, item);
  };
  if (
    refusal.status === 412 &&
    updates.length === entry.items.length &&
    updates.some(holdsEarlier) &&
    updates.every((update) => holdsOurChange(update) || holdsEarlier(update))
  ) {
    // Our earlier attempt went through and a later edit was folded in since: that edit goes on top.
    const onHub = new Map<number, Resource>();
    const answers = new Map<number, Resource>();
    for (const update of updates) {
      const current = hub.get(update.index)!;
      if (holdsOurChange(update)) answers.set(update.index, current);
      else onHub.set(update.index, current);
    }
    rebaseOnHub(vault, entry, onHub, answers);
    return 'rebased';
  }
  const carried = combinationInCombinersName(entry, hub, refusal);
  if (carried !== null) {
    // A combination an earlier release queued with a colleague's note in her name: in the combiner's now.
    carryInCombinersName(context, entry, carried);
    return 'rebased';
  }
  keepAsConflict(context, entry, hub, refusal);
  return refusal.status === 412 ? 'conflict' : 'rejected';
}

/**
 * True when `entry` records readings again (electron/documentation recordAgain) together with a
 * conflict with the EHR's settlement, and the hub has accepted the EHR's withdrawal since (a colleague
 * kept it from the EHR: its version is tagged withheld, or already withdrawn): all the settlement was for.
 */
function withdrawalAcceptedAtHub(entry: OutboxEntry, hub: ReadonlyMap<number, Resource | null | undefined>): boolean {
  if (!(entry.provenance?.policy ?? []).includes(RECORDED_AGAIN_POLICY_URI)) return false;
  const updates = entry.items.map((item, index) => ({ item, index })).filter(({ item }) => item.operation === 'update');
  if (updates.length === 0 || updates.length === entry.items.length) return false;
  return updates.every(({ index }) => {
    const current = hub.get(index);
    if (current === null || current === undefined) return false;
    const withdrawn = (current as { status?: string }).status === 'entered-in-error';
    return withdrawn || (current.meta?.tag ?? []).some((tag) => tag.system === UPSTREAM_WITHHELD_TAG_SYSTEM);
  });
}

/**
 * What is left of a reading recorded again once the hub accepted the withdrawal it settled: the new
 * readings alone, with the entry's Provenance naming them only (the hub never stored it: the 412
 * rolled the whole entry back); the hub's versions of the settled records cached.
 */
function readingsAlone(context: PushContext, entry: OutboxEntry, hub: ReadonlyMap<number, Resource | null | undefined>): void {
  const { vault } = context;
  const held = holdsPatient(vault.resources, entry.patientId);
  const settled = new Set(
    entry.items.filter((item) => item.operation === 'update').map((item) => `${item.resource.resourceType}/${item.resource.id}`),
  );
  const items = entry.items.filter((item) => item.operation === 'create');
  const provenance =
    entry.provenance === null
      ? null
      : { ...entry.provenance, target: entry.provenance.target.filter((target) => !settled.has(target.reference ?? '')) };
  vault.transaction(
    () => {
      vault.outbox.rebase(entry.entryId, items, provenance);
      if (held) {
        for (const current of hub.values()) if (current !== null && current !== undefined) storeHubCopy(vault, current);
        if (provenance !== null) vault.resources.upsert(provenance);
      }
    },
    { durable: true },
  );
  context.logger.info(
    { event: 'sync.recorded_again_settled_elsewhere', entryId: entry.entryId },
    'a reading recorded again goes alone: the hub had accepted the withdrawal already',
  );
}

/** Replaces a queued combination's items with `items` (combination-notes.ts), the cached copies too. */
function carryInCombinersName(context: PushContext, entry: OutboxEntry, items: readonly OutboxItem[]): void {
  const { vault } = context;
  const held = holdsPatient(vault.resources, entry.patientId);
  vault.transaction(
    () => {
      vault.outbox.replaceItems(entry.entryId, withNextMarks(vault, entry.entryId, items));
      if (held) for (const item of items) vault.resources.upsert(item.resource);
    },
    { durable: true },
  );
  context.logger.info(
    { event: 'sync.combination_notes_carried', entryId: entry.entryId },
    "a queued combination's notes carried in the combiner's name; sent again",
  );
}

/**
 * The version the hub's 412 named of an item it would not show this device (403, hubVersionOf): what
 * settling the conflict on top of the hub's version needs, with no content.
 */
function versionsNamedOnly(
  entry: OutboxEntry,
  hub: ReadonlyMap<number, Resource | null | undefined>,
  refusal: SyncError,
): HubVersionOnly[] {
  const named = refusal.status === 412 ? refusal.currentVersion : undefined;
  if (named === undefined) return [];
  const unseen = entry.items.some(
    (item, index) =>
      hub.has(index) && hub.get(index) === undefined && item.resource.resourceType === named.resourceType && item.resource.id === named.id,
  );
  return unseen ? [{ resourceType: named.resourceType, id: named.id, versionId: named.versionId }] : [];
}

/** Moves `entry` to the conflicts, with the hub's current versions of what it changed (`hub`, by item). */
function keepAsConflict(
  context: PushContext,
  entry: OutboxEntry,
  hub: ReadonlyMap<number, Resource | null | undefined>,
  refusal: SyncError,
  local: OutboxEntry = entry,
): void {
  const { vault } = context;
  const reason = refusal.status === 412 ? 'version-conflict' : 'rejected';
  const held = holdsPatient(vault.resources, entry.patientId);
  vault.transaction(
    () => {
      vault.conflicts.add({
        conflictId: randomUUID(),
        entryId: entry.entryId,
        patientId: entry.patientId,
        reason,
        errorCode: refusal.hubCode ?? String(refusal.status ?? ''),
        local,
        hub: [...hub.values()].filter((resource): resource is Resource => resource !== null && resource !== undefined),
        hubVersionsOnly: versionsNamedOnly(entry, hub, refusal),
        detectedAt: context.now().toISOString(),
      });
      entry.items.forEach((item, index) => {
        const { resourceType, id } = item.resource;
        if (!isSupportedResourceType(resourceType)) return;
        const current = hub.get(index);
        // Not shown to this device (undefined): the cached copy stays until the purge takes the patient.
        if (hub.has(index) && current === undefined) return;
        if (current !== null && current !== undefined) {
          if (held) vault.resources.upsert(current);
          if (current.id !== id) vault.resources.delete(resourceType, id);
        } else vault.resources.delete(resourceType, id);
      });
      if (entry.provenance !== null) vault.resources.delete('Provenance', entry.provenance.id);
      vault.outbox.remove(entry.entryId);
    },
    { durable: true },
  );
  context.logger.warn(
    { event: 'sync.outbox_conflict', entryId: entry.entryId, reason, status: refusal.status, code: refusal.hubCode },
    'outbox entry not taken by the hub; kept as a conflict',
  );
}

async function sendBatch(context: PushContext, entries: readonly OutboxEntry[], result: PushResult): Promise<void> {
  const { bundle, slots } = outboxBundle(entries);
  for (const entry of entries) context.inFlight.add(entry.entryId);
  let answers: Json[];
  try {
    answers = responseEntries(await context.client.postBundle(bundle), slots.length);
  } catch (error) {
    if (!isSyncError(error, 'REQUEST_REFUSED') || error.status === 401) throw error;
    for (const entry of entries) context.inFlight.delete(entry.entryId);
    if (entries.length > 1) {
      for (const entry of entries) await sendBatch(context, [entry], result);
      return;
    }
    const outcome = await settleRefusal(context, entries[0]!, error);
    if (outcome === 'delivered') delivered(context, result, entries[0]!);
    else if (outcome === 'conflict') result.conflicts += 1;
    else if (outcome === 'rejected') result.rejected += 1;
    else await sendRebased(context, entries[0]!.entryId, result);
    return;
  } finally {
    for (const entry of entries) context.inFlight.delete(entry.entryId);
  }
  const byEntry = new Map<string, Map<number, Resource>>();
  slots.forEach((slot: BundleSlot, position) => {
    const resource = answers[position]?.resource;
    const map = byEntry.get(slot.entryId) ?? new Map<number, Resource>();
    if (isObject(resource)) map.set(slot.item, resource as unknown as Resource);
    byEntry.set(slot.entryId, map);
  });
  for (const entry of entries) {
    const answered = byEntry.get(entry.entryId) ?? new Map<number, Resource>();
    // A create the hub matched to an earlier attempt answers with what that attempt said: a local
    // edit folded in since is not at the hub yet.
    const earlier = new Map<number, Resource>();
    let changedSince = false;
    entry.items.forEach((item, index) => {
      const hubCopy = answered.get(index);
      if (item.operation !== 'create' || item.earlier === undefined || hubCopy === undefined) return;
      if (contentFingerprint(hubCopy) === contentFingerprint(item.resource)) return;
      if (holdsEarlierVersion(hubCopy, item)) earlier.set(index, hubCopy);
      else changedSince = true;
    });
    if (changedSince) {
      // Someone changed the hub's copy after our first attempt took: both are kept for a user, ours
      // as a change of the hub's resource (so that sending it after all is an update, not a create).
      const local: OutboxEntry = {
        ...entry,
        items: entry.items.map((item, index) => {
          const hubCopy = answered.get(index);
          if (item.operation !== 'create' || hubCopy?.id === undefined) return item;
          const resource = { ...item.resource, id: hubCopy.id, meta: { ...(item.resource.meta ?? {}), ...(hubCopy.meta ?? {}) } };
          return { operation: 'update', resource, baseVersion: hubCopy.meta?.versionId ?? null };
        }),
      };
      keepAsConflict(context, entry, answered, CHANGED_SINCE_FIRST_ATTEMPT, local);
      result.conflicts += 1;
    } else if (earlier.size > 0) {
      rebaseOnHub(context.vault, entry, earlier, answered);
      await sendRebased(context, entry.entryId, result);
    } else {
      recordDelivery(context.vault, entry, answered);
      delivered(context, result, entry);
    }
  }
}

/** Sends an entry again at once after rebaseOnHub (its items no longer carry earlier versions, so once). */
async function sendRebased(context: PushContext, entryId: string, result: PushResult): Promise<void> {
  const entry = context.vault.outbox.get(entryId);
  if (entry !== null) await sendBatch(context, [entry], result);
}

function delivered(context: PushContext, result: PushResult, entry: OutboxEntry): void {
  result.delivered += 1;
  result.deliveredEntries.push({
    entryId: entry.entryId,
    patientId: entry.patientId,
    items: entry.items,
    recordedAt: entry.createdAt,
    deliveredAt: context.now().toISOString(),
  });
}

/** The entry an item of `entry` is chained after and waits for (OutboxItem.follows), if any. */
function followed(entry: OutboxEntry): string | undefined {
  return entry.items.find((item) => item.follows !== undefined)?.follows;
}

/** The change a follower was made on never reached the hub (that entry became a conflict). */
const BASE_NOT_DELIVERED = new SyncError(
  'REQUEST_REFUSED',
  'The change this one was made on did not reach the hub (it is kept as a conflict).',
  { status: 412, hubCode: 'VERSION_CONFLICT' },
);

/**
 * A follower whose entry left the outbox without being delivered (a conflict): its base version is
 * unknown, so it is kept as a conflict with the hub's current versions, for a user to settle.
 */
async function keepOrphanAsConflict(context: PushContext, entry: OutboxEntry, result: PushResult): Promise<void> {
  context.inFlight.add(entry.entryId);
  const hub = new Map<number, Resource | null | undefined>();
  try {
    for (const [index, item] of entry.items.entries()) {
      if (item.operation === 'update') hub.set(index, await hubVersionOf(context.client, item.resource.resourceType, item.resource.id));
    }
  } finally {
    context.inFlight.delete(entry.entryId);
  }
  const current = context.vault.outbox.get(entry.entryId) ?? entry;
  const local: OutboxEntry = { ...current, items: current.items.map(({ follows: _follows, ...item }) => item) };
  keepAsConflict(context, current, hub, BASE_NOT_DELIVERED, local);
  result.conflicts += 1;
}

/**
 * Sends every entry waiting when the push began (entries written meanwhile go next time), oldest
 * first. A follower waits while the entry it follows is in the outbox, and never shares its Bundle.
 */
export async function pushOutbox(context: PushContext): Promise<PushResult> {
  const result: PushResult = { delivered: 0, conflicts: 0, rejected: 0, deliveredEntries: [] };
  const snapshot = context.vault.outbox.pending().map((entry) => entry.entryId);
  let batch: OutboxEntry[] = [];
  const flush = async (): Promise<void> => {
    const sending = batch;
    batch = [];
    if (sending.length > 0) await sendBatch(context, sending, result);
  };
  for (const entryId of snapshot) {
    let entry = context.vault.outbox.get(entryId);
    const first = entry === null ? undefined : followed(entry);
    if (first !== undefined && batch.some((queued) => queued.entryId === first)) {
      await flush();
      entry = context.vault.outbox.get(entryId);
    }
    if (entry === null) continue;
    const follows = followed(entry);
    if (follows !== undefined) {
      // Still waiting for the entry it follows (not sent yet, or refused for now): next time.
      if (context.vault.outbox.get(follows) !== null) continue;
      await flush();
      await keepOrphanAsConflict(context, entry, result);
      continue;
    }
    batch.push(entry);
    if (batch.length >= context.batchSize) await flush();
  }
  await flush();
  if (snapshot.length > 0) {
    // Counts only: the delivered entries hold the documentation itself.
    const { delivered, conflicts, rejected } = result;
    context.logger.info(
      { event: 'sync.outbox_pushed', delivered, conflicts, rejected, waiting: context.vault.outbox.count() },
      'outbox pushed',
    );
  }
  return result;
}
