// Settling a conflict once a user has looked at both versions: keep the hub's (the local entry is
// dropped) or send the local one again on top of the hub's current version (a new outbox entry with
// If-Match on that version). Either way in one durable vault transaction.
import { randomUUID } from 'node:crypto';
import { isSupportedResourceType, type Resource } from '../../shared/fhir/index.js';
import type { OutboxItem, Vault } from '../vault/index.js';
import { SyncError } from './sync-error.js';

export type ConflictChoice = 'keep-hub' | 'resend-local';

/** Returns the new outbox entry's id for 'resend-local', null for 'keep-hub'. */
export function resolveConflict(vault: Vault, conflictId: string, choice: ConflictChoice, now: Date): string | null {
  const record = vault.conflicts.get(conflictId);
  if (record === null) throw new SyncError('CONFLICT_NOT_FOUND', 'That conflict was already settled, or never existed on this workstation.');
  if (choice === 'keep-hub') {
    vault.conflicts.remove(conflictId);
    return null;
  }
  const entryId = randomUUID();
  vault.transaction(() => {
    const items: OutboxItem[] = record.local.items.map((item) => {
      const { resourceType, id } = item.resource;
      if (item.operation === 'create' || !isSupportedResourceType(resourceType)) return item;
      const current = vault.resources.versionOf(resourceType, id);
      const base = current?.versionId ?? null;
      const resource = { ...item.resource, meta: { ...(item.resource.meta ?? {}), ...(base === null ? {} : { versionId: base }) } } as Resource & { id: string };
      return { operation: base === null ? 'create' : 'update', resource, baseVersion: base };
    });
    for (const item of items) vault.resources.upsert(item.resource);
    if (record.local.provenance !== null) vault.resources.upsert(record.local.provenance);
    vault.outbox.add({ entryId, patientId: record.patientId, items, provenance: record.local.provenance, createdAt: now.toISOString() });
    vault.conflicts.remove(conflictId);
  }, { durable: true });
  return entryId;
}
