// Who first stored each piece of late documentation (fhir_late_uploads): the migration adds the table
// to a hub of the migrations before it, and the first device to store a record stays its creator, on
// SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../../tests/support/postgres.js';
import { openPostgresDatabase, openSqliteDatabase, runMigrations, type SqlDatabase } from '../../storage/index.js';
import { isLateUploadOf, noteLateUploads } from './late-uploads.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';

function engineCases(name: string, open: () => Promise<SqlDatabase>): void {
  it(`upgrades a hub and keeps the device that first stored a record (${name})`, async () => {
    const db = await open();
    try {
      await runMigrations(
        db,
        resourceStoreMigrations.filter((migration) => migration.id !== 'fhir-0011-late-uploads'),
      );
      expect(await runMigrations(db, resourceStoreMigrations)).toEqual(['fhir-0011-late-uploads']);
      expect(await isLateUploadOf(db, 'Observation', 'o1', 'device-a')).toBe(false);
      await db.transaction((tx) => noteLateUploads(tx, 'device-a', [{ type: 'Observation', id: 'o1' }], new Date()));
      await db.transaction((tx) => noteLateUploads(tx, 'device-b', [{ type: 'Observation', id: 'o1' }], new Date()));
      expect(await isLateUploadOf(db, 'Observation', 'o1', 'device-a')).toBe(true);
      expect(await isLateUploadOf(db, 'Observation', 'o1', 'device-b')).toBe(false);
      expect(await isLateUploadOf(db, 'MedicationAdministration', 'o1', 'device-a')).toBe(false);
    } finally {
      await db.close();
    }
  });
}

engineCases('SQLite', async () => openSqliteDatabase(':memory:'));

describe('on PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  engineCases('PostgreSQL', async () => openPostgresDatabase(await server.createDatabase()));
});
