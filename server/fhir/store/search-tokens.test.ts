// A resource's search tokens are those of its current version, whatever wrote it: an update drops
// the identifiers and codes it no longer carries (a plain write, a feed batch changing it twice, a
// delete), and tokens a hub stored before they were keyed by version still follow their resource
// after the migration, on SQLite and on PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../shared/fhir/index.js';
import { startTestPostgres, type TestPostgres } from '../../../tests/support/postgres.js';
import { openPostgresDatabase, openSqliteDatabase, runMigrations, type SqlDatabase } from '../../storage/index.js';
import { beginWrite, endWrite } from './hub-clock.js';
import { currentByIdentifier } from './identifier-lookup.js';
import { readCurrent, VersionBatch, writeDeletion, writeVersions } from './resource-store.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';
import { searchResources } from './search-query.js';

const SYSTEM = 'urn:test:lab';

const observation = (id: string, accession: string, loinc: string): Resource =>
  ({
    resourceType: 'Observation',
    id,
    identifier: [{ system: SYSTEM, value: accession }],
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    subject: { reference: 'Patient/p1' },
    valueQuantity: { value: 60, unit: '/min' },
  }) as Resource;

async function write(db: SqlDatabase, work: (tx: SqlDatabase, session: Awaited<ReturnType<typeof beginWrite>>) => Promise<void>) {
  await db.transaction(async (tx) => {
    const session = await beginWrite(tx, new Date());
    await work(tx, session);
    await endWrite(tx, session);
  });
}

async function byAccession(db: SqlDatabase, accession: string): Promise<string[]> {
  return (await currentByIdentifier(db, 'Observation', SYSTEM, accession, 10)).map((stored) => stored.id);
}

async function byCode(db: SqlDatabase, loinc: string): Promise<string[]> {
  const page = await searchResources(db, {
    type: 'Observation',
    filters: [{ kind: 'token', param: 'code', alternatives: [{ system: 'http://loinc.org', value: loinc }] }],
    order: 'id',
    count: 50,
    scope: { kind: 'all' },
  });
  return page.rows.map((stored) => stored.id);
}

async function tokenRows(db: SqlDatabase): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM fhir_tokens');
  return Number(rows[0]!.n);
}

function engineCases(name: string, open: () => Promise<{ db: SqlDatabase; done: () => Promise<void> }>): void {
  describe(`search tokens on ${name}`, () => {
    it('follow the current version through updates, a feed batch and a delete', async () => {
      const { db, done } = await open();
      try {
        await runMigrations(db, resourceStoreMigrations);
        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [
            { resource: observation('o1', 'A1', '8867-4'), previous: null },
            { resource: observation('o2', 'B1', '8867-4'), previous: null },
          ]);
        });
        expect(await byAccession(db, 'A1')).toEqual(['o1']);
        expect(await byCode(db, '8867-4')).toEqual(['o1', 'o2']);

        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [
            { resource: observation('o1', 'A2', '9279-1'), previous: await readCurrent(tx, 'Observation', 'o1') },
          ]);
        });
        expect(await byAccession(db, 'A1')).toEqual([]);
        expect(await byAccession(db, 'A2')).toEqual(['o1']);
        expect(await byCode(db, '8867-4')).toEqual(['o2']);
        expect(await byCode(db, '9279-1')).toEqual(['o1']);

        // A feed message changing o1 twice and o2 once in one batch: only the last versions' tokens stay.
        await write(db, async (tx, session) => {
          const batch = new VersionBatch(session);
          const third = batch.add({ resource: observation('o1', 'A3', '8310-5'), previous: await readCurrent(tx, 'Observation', 'o1') });
          batch.add({ resource: observation('o1', 'A4', '8310-5'), previous: third });
          batch.add({ resource: observation('o2', 'B2', '8310-5'), previous: await readCurrent(tx, 'Observation', 'o2') });
          await batch.flush(tx);
        });
        for (const gone of ['A1', 'A2', 'A3', 'B1']) expect(await byAccession(db, gone)).toEqual([]);
        expect(await byAccession(db, 'A4')).toEqual(['o1']);
        expect(await byAccession(db, 'B2')).toEqual(['o2']);
        expect(await byCode(db, '9279-1')).toEqual([]);
        expect(await byCode(db, '8310-5')).toEqual(['o1', 'o2']);
        expect(await tokenRows(db)).toBe(4);

        await write(db, async (tx, session) => {
          await writeDeletion(tx, session, (await readCurrent(tx, 'Observation', 'o1'))!);
        });
        expect(await byAccession(db, 'A4')).toEqual([]);
        expect(await byCode(db, '8310-5')).toEqual(['o2']);
        expect(await tokenRows(db)).toBe(2);

        // Created again after its deletion: indexed again, nothing of before comes back.
        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [
            { resource: observation('o1', 'A5', '8867-4'), previous: await readCurrent(tx, 'Observation', 'o1') },
          ]);
        });
        expect(await byAccession(db, 'A5')).toEqual(['o1']);
        expect(await byAccession(db, 'A4')).toEqual([]);
        expect(await tokenRows(db)).toBe(4);
      } finally {
        await done();
      }
    });

    it('keeps the tokens a hub stored before the migration, and drops them at the next write', async () => {
      const { db, done } = await open();
      try {
        await runMigrations(
          db,
          resourceStoreMigrations.filter((migration) => migration.id !== 'fhir-0008-token-version'),
        );
        // As the store wrote before: tokens without the version they index.
        await db.execute(
          `INSERT INTO fhir_resources (res_type, res_id, version, last_updated, seq, deleted, patient_id, status, content)
           VALUES ('Observation', 'o1', 1, 1, 7, 0, 'p1', 'final', $1)`,
          [JSON.stringify({ ...observation('o1', 'OLD', '8867-4'), meta: { versionId: '1' } })],
        );
        await db.execute(
          `INSERT INTO fhir_versions (seq, res_type, res_id, version, last_updated, deleted, patient_id, content)
           VALUES (7, 'Observation', 'o1', 1, 1, 0, 'p1', NULL)`,
        );
        await db.execute('UPDATE fhir_clock SET last_seq = 7 WHERE id = 1');
        for (const [param, system, value] of [
          ['identifier', SYSTEM, 'OLD'],
          ['code', 'http://loinc.org', '8867-4'],
        ]) {
          await db.execute(`INSERT INTO fhir_tokens (res_type, res_id, param, system, value) VALUES ('Observation', 'o1', $1, $2, $3)`, [
            param,
            system,
            value,
          ]);
        }
        await runMigrations(db, resourceStoreMigrations);
        expect(await byAccession(db, 'OLD')).toEqual(['o1']);
        expect(await byCode(db, '8867-4')).toEqual(['o1']);

        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [
            { resource: observation('o1', 'NEW', '9279-1'), previous: await readCurrent(tx, 'Observation', 'o1') },
          ]);
        });
        expect(await byAccession(db, 'OLD')).toEqual([]);
        expect(await byCode(db, '8867-4')).toEqual([]);
        expect(await byAccession(db, 'NEW')).toEqual(['o1']);
        expect(await tokenRows(db)).toBe(2);
      } finally {
        await done();
      }
    });
  });
}

engineCases('SQLite', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'wardline-search-tokens-'));
  const db = openSqliteDatabase(join(folder, 'hub.sqlite'));
  return {
    db,
    done: async () => {
      await db.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
});

describe('on PostgreSQL', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });
  engineCases('PostgreSQL', async () => {
    const db = await openPostgresDatabase(await server.createDatabase());
    return { db, done: () => db.close() };
  });
});
