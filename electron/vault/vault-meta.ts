// Small tables beside the resources: facts about the vault (vault_meta) and the sync checkpoints
// (per resource type, the hub's time of the last incremental pull).
import type { Db } from './sqlcipher-connection.js';

export interface VaultMeta {
  get(key: string): string | null;
  set(key: string, value: string | null): void;
}

export interface SyncCheckpoints {
  /** The hub's `_since` time for `resourceType`, or null before the first pull. */
  get(resourceType: string): string | null;
  set(resourceType: string, since: string): void;
  all(): Record<string, string>;
  clear(resourceType?: string): void;
}

export function createVaultMeta(db: Db): VaultMeta {
  const read = db.prepare<[string], string>('SELECT value FROM vault_meta WHERE key = ?').pluck();
  const write = db.prepare<[string, string]>(
    'INSERT INTO vault_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  const remove = db.prepare<[string]>('DELETE FROM vault_meta WHERE key = ?');
  return {
    get: (key) => read.get(key) ?? null,
    set: (key, value) => {
      if (value === null) remove.run(key);
      else write.run(key, value);
    },
  };
}

export function createSyncCheckpoints(db: Db): SyncCheckpoints {
  const read = db.prepare<[string], string>('SELECT since FROM sync_checkpoints WHERE resource_type = ?').pluck();
  const readAll = db.prepare<[], { resource_type: string; since: string }>('SELECT resource_type, since FROM sync_checkpoints');
  const write = db.prepare<[string, string]>(
    'INSERT INTO sync_checkpoints (resource_type, since) VALUES (?, ?) ON CONFLICT (resource_type) DO UPDATE SET since = excluded.since',
  );
  const removeOne = db.prepare<[string]>('DELETE FROM sync_checkpoints WHERE resource_type = ?');
  const removeAll = db.prepare('DELETE FROM sync_checkpoints');
  return {
    get: (resourceType) => read.get(resourceType) ?? null,
    set: (resourceType, since) => {
      write.run(resourceType, since);
    },
    all: () => Object.fromEntries(readAll.all().map((row) => [row.resource_type, row.since])),
    clear: (resourceType) => {
      if (resourceType === undefined) removeAll.run();
      else removeOne.run(resourceType);
    },
  };
}
