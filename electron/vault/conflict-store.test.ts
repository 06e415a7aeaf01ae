import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTRICTED_LABEL } from '../../shared/access/index.js';
import type { Observation, Patient } from '../../shared/fhir/index.js';
import { createConflictStore, type NewConflict } from './conflict-store.js';
import { migrate } from './migration-runner.js';
import { createResourceStore } from './resource-store.js';
import { createSyncStateStore } from './sync-state-store.js';
import type { Db } from './sqlcipher-connection.js';
import { newEncryptedDatabase, temporaryDataDir } from './test-helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function vaultDb(): Db {
  const data = temporaryDataDir('conflicts');
  const { db } = newEncryptedDatabase(path.join(data.dir, 'vault.db'));
  cleanups.push(() => {
    db.close();
    data.remove();
  });
  migrate(db);
  return db;
}

function conflictOf(patientId: string, observation: Partial<Observation> = {}): NewConflict {
  const resource = {
    resourceType: 'Observation',
    id: `obs-${patientId}`,
    status: 'final',
    code: { text: 'pulse' },
    ...observation,
  } as Observation;
  return {
    conflictId: `c-${patientId}`,
    entryId: `e-${patientId}`,
    patientId,
    reason: 'version-conflict',
    errorCode: 'VERSION_CONFLICT',
    local: {
      entryId: `e-${patientId}`,
      patientId,
      items: [{ operation: 'update', resource, baseVersion: '1' }],
      provenance: null,
      createdAt: '2026-01-01T00:00:00Z',
    },
    hub: [],
    detectedAt: '2026-01-01T00:00:00Z',
  } as NewConflict;
}

describe('conflict store', () => {
  it("records whether the patient's chart is restricted when the conflict is stored, and keeps it once the Patient is gone", () => {
    const db = vaultDb();
    const resources = createResourceStore(db);
    const conflicts = createConflictStore(db);
    resources.upsert({ resourceType: 'Patient', id: 'restricted', meta: { security: [RESTRICTED_LABEL] } } as Patient);
    resources.upsert({ resourceType: 'Patient', id: 'open' } as Patient);
    resources.upsert({ resourceType: 'Patient', id: 'open-with-labelled-note' } as Patient);
    conflicts.add(conflictOf('restricted'));
    conflicts.add(conflictOf('open'));
    conflicts.add(conflictOf('open-with-labelled-note', { meta: { security: [RESTRICTED_LABEL] } }));
    conflicts.add(conflictOf('never-held'));
    resources.delete('Patient', 'restricted');

    const restriction = Object.fromEntries(conflicts.list().map((c) => [c.patientId, c.chartRestricted]));
    expect(restriction).toEqual({ restricted: true, open: false, 'open-with-labelled-note': true, 'never-held': true });
    expect(conflicts.holdsPatient('restricted')).toBe(true);
    expect(conflicts.holdsPatient('someone-else')).toBe(false);
  });

  it('closes a conflict whose chart was labelled restricted after it was stored, when the chart is purged', () => {
    const db = vaultDb();
    const resources = createResourceStore(db);
    const conflicts = createConflictStore(db);
    resources.upsert({ resourceType: 'Patient', id: 'later-restricted' } as Patient);
    resources.upsert({ resourceType: 'Patient', id: 'stays-open' } as Patient);
    conflicts.add(conflictOf('later-restricted'));
    conflicts.add(conflictOf('stays-open'));
    resources.upsert({ resourceType: 'Patient', id: 'later-restricted', meta: { security: [RESTRICTED_LABEL] } } as Patient);
    const sync = createSyncStateStore(db);
    sync.purgePatient('later-restricted');
    sync.purgePatient('stays-open');

    const restriction = Object.fromEntries(conflicts.list().map((c) => [c.patientId, c.chartRestricted]));
    expect(restriction).toEqual({ 'later-restricted': true, 'stays-open': false });
  });

  it('closes a conflict whose chart was labelled restricted after it was stored, when the Patient leaves other than by purge', () => {
    const db = vaultDb();
    const resources = createResourceStore(db);
    const conflicts = createConflictStore(db);
    resources.upsert({ resourceType: 'Patient', id: 'deleted-at-hub' } as Patient);
    resources.upsert({ resourceType: 'Patient', id: 'stays-open' } as Patient);
    conflicts.add(conflictOf('deleted-at-hub'));
    conflicts.add(conflictOf('stays-open'));
    resources.upsert({ resourceType: 'Patient', id: 'deleted-at-hub', meta: { security: [RESTRICTED_LABEL] } } as Patient);
    // The hub's deletion (or a Patient out of this ward's scope) removes the Patient alone, the chart and conflicts stay.
    expect(resources.delete('Patient', 'deleted-at-hub')).toBe(true);
    expect(resources.delete('Patient', 'stays-open')).toBe(true);

    const restriction = Object.fromEntries(conflicts.list().map((c) => [c.patientId, c.chartRestricted]));
    expect(restriction).toEqual({ 'deleted-at-hub': true, 'stays-open': false });
  });
});
