// The hub's own writes, without access checks (the demo ward, tests standing in for the hospital's
// feed): a bulk load of version-1 resources in multi-row statements, and plain versioned puts.
import type { Resource } from '../../shared/fhir/index.js';
import { validateResource } from '../../shared/fhir/index.js';
import { SqlParams, chunked, type SqlDatabase } from '../storage/index.js';
import { beginWrite, endWrite, readCurrent, writeDeletion, writeVersions } from './store/index.js';

/** Writes, in one transaction, the resources that do not exist yet; returns how many were written. */
export async function importResources(db: SqlDatabase, resources: readonly Resource[], now: Date): Promise<number> {
  for (const resource of resources) validateResource(resource);
  return db.transaction(async (tx) => {
    const session = await beginWrite(tx, now);
    const existing = new Set<string>();
    const byType = new Map<string, string[]>();
    for (const resource of resources) {
      const list = byType.get(resource.resourceType) ?? [];
      list.push(resource.id ?? '');
      byType.set(resource.resourceType, list);
    }
    for (const [type, ids] of byType) {
      for (const chunk of chunked(ids, 500)) {
        const params = new SqlParams();
        const rows = await tx.query<{ res_id: string }>(
          `SELECT res_id FROM fhir_resources WHERE res_type = ${params.add(type)} AND res_id IN (${params.list(chunk)})`,
          params.values,
        );
        for (const row of rows) existing.add(`${type}/${row.res_id}`);
      }
    }
    const fresh = resources.filter((resource) => resource.id && !existing.has(`${resource.resourceType}/${resource.id}`));
    for (const chunk of chunked(fresh, 2000))
      await writeVersions(
        tx,
        session,
        chunk.map((resource) => ({ resource, previous: null })),
      );
    await endWrite(tx, session);
    return fresh.length;
  });
}

/**
 * Writes a new version of each resource (created or updated), as the hospital's feed would: no
 * access checks. For the hub's own tools and tests, never for requests.
 */
export async function putResources(db: SqlDatabase, resources: readonly Resource[], now: Date): Promise<void> {
  for (const resource of resources) validateResource(resource);
  await db.transaction(async (tx) => {
    const session = await beginWrite(tx, now);
    for (const resource of resources) {
      if (!resource.id) throw new Error('putResources needs resources with ids.');
      const previous = await readCurrent(tx, resource.resourceType, resource.id);
      await writeVersions(tx, session, [{ resource, previous }]);
    }
    await endWrite(tx, session);
  });
}

/**
 * Deletes resources (a versioned tombstone each), as the hospital's feed would: no access checks.
 * For the hub's own tools and tests, never for requests.
 */
export async function deleteResources(db: SqlDatabase, targets: readonly { type: string; id: string }[], now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const session = await beginWrite(tx, now);
    for (const target of targets) {
      const current = await readCurrent(tx, target.type, target.id);
      if (current !== null && !current.deleted) await writeDeletion(tx, session, current);
    }
    await endWrite(tx, session);
  });
}
