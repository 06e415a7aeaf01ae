import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTRICTED_LABEL } from '../../shared/access/index.js';
import { migrate, schemaVersionOf } from './migration-runner.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';
import type { Db } from './sqlcipher-connection.js';
import { newEncryptedDatabase, temporaryDataDir } from './test-helpers.js';
import { VaultError } from './vault-error.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function encryptedDb(): Db {
  const data = temporaryDataDir('migrations');
  const { db } = newEncryptedDatabase(path.join(data.dir, 'vault.db'));
  cleanups.push(() => {
    db.close();
    data.remove();
  });
  return db;
}

function schemaOf(db: Db): unknown[] {
  return db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
}

function insertObservation(db: Db, id: string): void {
  db.prepare(
    `INSERT INTO resources (type, id, patient_id, code, effective_ms, json)
              VALUES ('Observation', ?, 'p1', 'http://loinc.org|8867-4', 1700000000000, ?)`,
  ).run(id, JSON.stringify({ resourceType: 'Observation', id }));
}

const failingMigration: Migration = {
  version: LATEST_SCHEMA_VERSION + 1,
  name: 'fails-halfway',
  up(db) {
    db.exec('CREATE TABLE half_done (x INTEGER)');
    db.exec("UPDATE resources SET status = 'tampered'");
    db.exec("DELETE FROM resources WHERE id = 'obs-1'");
    throw new Error('disk said no');
  },
};

describe('vault schema migrations', () => {
  it('numbers the registered migrations 1..n and records the latest in user_version', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    const db = encryptedDb();
    expect(migrate(db)).toEqual({ from: 0, to: LATEST_SCHEMA_VERSION });
    expect(schemaVersionOf(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(migrate(db)).toEqual({ from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
  });

  for (let start = 0; start < LATEST_SCHEMA_VERSION; start += 1) {
    it(`upgrades a vault at schema ${start} to the latest, keeping its charts`, () => {
      const db = encryptedDb();
      migrate(db, MIGRATIONS.slice(0, start));
      expect(schemaVersionOf(db)).toBe(start);
      if (start >= 1) {
        insertObservation(db, 'obs-1');
        insertObservation(db, 'obs-2');
      }
      const before = start >= 1 ? db.prepare('SELECT * FROM resources ORDER BY id').all() : [];

      expect(migrate(db)).toEqual({ from: start, to: LATEST_SCHEMA_VERSION });

      expect(db.prepare('SELECT * FROM resources ORDER BY id').all()).toEqual(before);
      db.prepare("INSERT INTO sync_checkpoints (resource_type, since) VALUES ('Observation', '2024-01-01T00:00:00Z')").run();
      db.prepare("INSERT INTO vault_meta (key, value) VALUES ('ward', 'ward-1')").run();
      expect(db.prepare('SELECT since FROM sync_checkpoints').pluck().get()).toBe('2024-01-01T00:00:00Z');
    });
  }

  it('rolls a failing migration back completely: schema, version and charts as before', () => {
    const db = encryptedDb();
    migrate(db);
    insertObservation(db, 'obs-1');
    insertObservation(db, 'obs-2');
    const schemaBefore = schemaOf(db);
    const rowsBefore = db.prepare('SELECT * FROM resources ORDER BY id').all();

    let caught: unknown;
    try {
      migrate(db, [...MIGRATIONS, failingMigration]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VaultError);
    expect((caught as VaultError).code).toBe('MIGRATION_FAILED');
    expect((caught as VaultError).message).toContain(`schema ${LATEST_SCHEMA_VERSION + 1}`);

    expect(schemaVersionOf(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(schemaOf(db)).toEqual(schemaBefore);
    expect(db.prepare('SELECT * FROM resources ORDER BY id').all()).toEqual(rowsBefore);
  });

  it('keeps the migrations that succeeded when a later one fails', () => {
    const db = encryptedDb();
    const failingSecond: Migration = { ...failingMigration, version: 2 };
    expect(() => migrate(db, [MIGRATIONS[0]!, failingSecond])).toThrow(expect.objectContaining({ code: 'MIGRATION_FAILED' }));
    expect(schemaVersionOf(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).toBeUndefined();
    insertObservation(db, 'obs-3');
    expect(migrate(db)).toEqual({ from: 1, to: LATEST_SCHEMA_VERSION });
  });

  it("records each kept conflict's chart restriction: from its Patient while the vault holds it, restricted when the Patient is gone", () => {
    const db = encryptedDb();
    migrate(db, MIGRATIONS.slice(0, 5));
    const labelled = { meta: { security: [RESTRICTED_LABEL] } };
    const patient = (id: string, restricted: boolean): void => {
      db.prepare("INSERT INTO resources (type, id, patient_id, json) VALUES ('Patient', ?, ?, ?)").run(
        id,
        id,
        JSON.stringify({ resourceType: 'Patient', id, ...(restricted ? labelled : {}) }),
      );
    };
    const conflict = (patientId: string, observation: object = {}): void => {
      const resource = { resourceType: 'Observation', id: `obs-${patientId}`, ...observation };
      db.prepare(
        `INSERT INTO sync_conflicts (conflict_id, entry_id, patient_id, reason, error_code, local_json, hub_json, detected_at)
         VALUES (?, ?, ?, 'version-conflict', 'VERSION_CONFLICT', ?, '[]', '2026-01-01T00:00:00Z')`,
      ).run(`c-${patientId}`, `e-${patientId}`, patientId, JSON.stringify({ items: [{ operation: 'update', resource }] }));
    };
    patient('restricted-patient', true);
    patient('open-patient', false);
    patient('open-patient-labelled-note', false);
    conflict('restricted-patient');
    conflict('open-patient');
    conflict('open-patient-labelled-note', labelled);
    conflict('purged-patient');

    expect(migrate(db)).toEqual({ from: 5, to: LATEST_SCHEMA_VERSION });

    expect(db.prepare('SELECT patient_id, chart_restricted FROM sync_conflicts ORDER BY patient_id').all()).toEqual([
      { patient_id: 'open-patient', chart_restricted: 0 },
      { patient_id: 'open-patient-labelled-note', chart_restricted: 1 },
      { patient_id: 'purged-patient', chart_restricted: 1 },
      { patient_id: 'restricted-patient', chart_restricted: 1 },
    ]);
  });

  it('refuses to touch a vault written by a newer Wardline', () => {
    const db = encryptedDb();
    migrate(db);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    const schemaBefore = schemaOf(db);
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'SCHEMA_TOO_NEW' }));
    expect(schemaOf(db)).toEqual(schemaBefore);
  });

  it('refuses a migration list with a gap', () => {
    const db = encryptedDb();
    expect(() => migrate(db, [MIGRATIONS[1]!])).toThrow(expect.objectContaining({ code: 'MIGRATION_FAILED' }));
    expect(schemaVersionOf(db)).toBe(0);
  });
});
