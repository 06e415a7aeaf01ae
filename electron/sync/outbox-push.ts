// Delivering the outbox: entries go oldest first, several to a transaction Bundle. An entry leaves
// the outbox only in the same durable vault transaction that stores the hub's copies of what it
// created or changed (the hub's 2xx). A Bundle the hub refuses is split into single entries; an
// entry refused with 412 becomes a conflict record holding the local entry and the hub's current
// versions (unless the hub already holds exactly the local change: a retry of an answered request),
// any other refusal a 'rejected' record. Nothing is overwritten; nothing is lost. An entry of a
// patient whose chart the vault no longer holds (a settled conflict of a purged patient) is
// delivered the same way, and the hub's answer is not cached: that chart stays gone.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { isSupportedResourceType, type Resource } from '../../shared/fhir/index.js';
import { holdsPatient, type OutboxEntry, type OutboxItem, type Vault } from '../vault/index.js';
import type { HubClient } from './hub-client.js';
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

/** The hub took `entry`: its answer replaces the local copies, and the entry leaves the outbox. */
function recordDelivery(vault: Vault, entry: OutboxEntry, answers: ReadonlyMap<number, Resource>): void {
  const held = holdsPatient(vault.resources, entry.patientId);
  vault.transaction(
    () => {
      entry.items.forEach((item, index) => {
        const hubCopy = answers.get(index);
        if (hubCopy !== undefined && held) storeHubCopy(vault, hubCopy);
        const { resourceType, id } = item.resource;
        if (item.operation === 'create' && hubCopy?.id !== id && isSupportedResourceType(resourceType))
          vault.resources.delete(resourceType, id);
      });
      const provenance = answers.get(-1);
      if (provenance !== undefined && held) storeHubCopy(vault, provenance);
      vault.outbox.remove(entry.entryId);
    },
    { durable: true },
  );
}

/**
 * The hub's current version; null when it has none (404, 410); undefined when it will not show it to
 * this device (403: the patient left the ward, so the device token no longer reads their chart). The
 * conflict is then kept with this workstation's version alone, instead of failing every push after it.
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

/** One entry the hub refused (alone in its Bundle): a conflict, a rejection, or a retried success. */
async function settleRefusal(context: PushContext, entry: OutboxEntry, refusal: SyncError): Promise<'conflict' | 'rejected' | 'delivered'> {
  const { vault, client } = context;
  const updates = entry.items.map((item, index) => ({ item, index })).filter(({ item }) => item.operation === 'update');
  const hub = new Map<number, Resource | null | undefined>();
  for (const { item, index } of updates) hub.set(index, await hubVersionOf(client, item.resource.resourceType, item.resource.id));
  const holdsOurChange = ({ item, index }: { item: OutboxItem; index: number }): boolean => {
    const current = hub.get(index);
    return current !== null && current !== undefined && sameContent(current, item.resource);
  };
  if (refusal.status === 412 && updates.length === entry.items.length && updates.every(holdsOurChange)) {
    // Our own earlier attempt went through (all or nothing, Provenance included); only its answer was lost.
    const answers = new Map<number, Resource>();
    for (const [index, resource] of hub) if (resource !== null && resource !== undefined) answers.set(index, resource);
    if (entry.provenance !== null) {
      const provenance = await hubVersionOf(client, 'Provenance', entry.provenance.id);
      if (provenance !== null && provenance !== undefined) answers.set(-1, provenance);
    }
    recordDelivery(vault, entry, answers);
    return 'delivered';
  }
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
        local: entry,
        hub: [...hub.values()].filter((resource): resource is Resource => resource !== null && resource !== undefined),
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
  return reason === 'version-conflict' ? 'conflict' : 'rejected';
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
    else result.rejected += 1;
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
    recordDelivery(context.vault, entry, byEntry.get(entry.entryId) ?? new Map());
    delivered(context, result, entry);
  }
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

/** Sends every entry waiting when the push began (entries written meanwhile go next time). */
export async function pushOutbox(context: PushContext): Promise<PushResult> {
  const result: PushResult = { delivered: 0, conflicts: 0, rejected: 0, deliveredEntries: [] };
  const snapshot = context.vault.outbox.pending().map((entry) => entry.entryId);
  for (let start = 0; start < snapshot.length; start += context.batchSize) {
    const batch = snapshot
      .slice(start, start + context.batchSize)
      .map((entryId) => context.vault.outbox.get(entryId))
      .filter((entry): entry is OutboxEntry => entry !== null);
    if (batch.length > 0) await sendBatch(context, batch, result);
  }
  if (snapshot.length > 0) {
    context.logger.info({ event: 'sync.outbox_pushed', ...result, waiting: context.vault.outbox.count() }, 'outbox pushed');
  }
  return result;
}
