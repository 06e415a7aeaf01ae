// Every version stays readable (vread, history) while its content is stored once: the current
// version's text in its resource row, an earlier version's in its history row (moved there by the
// next write, a tombstone included, a feed batch changing one resource twice included); and the
// migration that clears the second copy a hub stored before, on SQLite and on PostgreSQL.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../../shared/fhir/index.js';
import { startTestPostgres, type TestPostgres } from '../../../tests/support/postgres.js';
import { openPostgresDatabase, openSqliteDatabase, runMigrations, type SqlDatabase } from '../../storage/index.js';
import { beginWrite, endWrite } from './hub-clock.js';
import { historyVersions } from './history-query.js';
import { readCurrent, readVersion, VersionBatch, writeDeletion, writeVersions } from './resource-store.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';
import { contentText, type StoredResource } from './stored-resource.js';

const observation = (value: number): Resource =>
  ({
    resourceType: 'Observation',
    id: 'o1',
    status: 'final',
    code: { text: 'Heart rate' },
    subject: { reference: 'Patient/p1' },
    valueQuantity: { value, unit: '/min' },
  }) as Resource;

function valueOf(stored: StoredResource | null): unknown {
  const text = stored ? contentText(stored) : null;
  return text === null ? null : (JSON.parse(text) as { valueQuantity: { value: number } }).valueQuantity.value;
}

async function write(db: SqlDatabase, work: (tx: SqlDatabase, session: Awaited<ReturnType<typeof beginWrite>>) => Promise<void>) {
  await db.transaction(async (tx) => {
    const session = await beginWrite(tx, new Date());
    await work(tx, session);
    await endWrite(tx, session);
  });
}

async function history(db: SqlDatabase): Promise<[number, unknown][]> {
  const { rows } = await historyVersions(db, { type: 'Observation', id: 'o1', maxSeq: 1_000_000, count: 50, scope: { kind: 'all' } });
  return rows.map((row) => [row.version, valueOf(row)]);
}

async function storedCopies(db: SqlDatabase): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `SELECT (SELECT COUNT(*) FROM fhir_resources WHERE content IS NOT NULL) + (SELECT COUNT(*) FROM fhir_versions WHERE content IS NOT NULL) AS n`,
  );
  return Number(rows[0]!.n);
}

/** The indexes SQLite keeps for fhir_versions (its own key's included), by name. */
async function historyIndexes(db: SqlDatabase): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'fhir_versions' ORDER BY name`,
  );
  return rows.map((row) => row.name);
}

function engineCases(name: string, open: () => Promise<{ db: SqlDatabase; done: () => Promise<void> }>): void {
  describe(`version content on ${name}`, () => {
    it('keeps every version readable, one stored copy each, through updates, a feed batch and a delete', async () => {
      const { db, done } = await open();
      try {
        await runMigrations(db, resourceStoreMigrations);
        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [{ resource: observation(60), previous: null }]);
        });
        expect(await storedCopies(db)).toBe(1);
        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [{ resource: observation(61), previous: await readCurrent(tx, 'Observation', 'o1') }]);
        });
        // A feed message changing the resource twice in one batch.
        await write(db, async (tx, session) => {
          const batch = new VersionBatch(session);
          const third = batch.add({ resource: observation(62), previous: await readCurrent(tx, 'Observation', 'o1') });
          batch.add({ resource: observation(63), previous: third });
          await batch.flush(tx);
        });
        expect(await storedCopies(db)).toBe(4);
        expect(await Promise.all([1, 2, 3, 4].map(async (v) => valueOf(await readVersion(db, 'Observation', 'o1', v))))).toEqual([
          60, 61, 62, 63,
        ]);
        expect(await history(db)).toEqual([
          [4, 63],
          [3, 62],
          [2, 61],
          [1, 60],
        ]);
        await write(db, async (tx, session) => {
          await writeDeletion(tx, session, (await readCurrent(tx, 'Observation', 'o1'))!);
        });
        expect(await history(db)).toEqual([
          [5, null],
          [4, 63],
          [3, 62],
          [2, 61],
          [1, 60],
        ]);
        expect(await storedCopies(db)).toBe(4);
      } finally {
        await done();
      }
    });

    it('clears the second copy of current versions a hub stored before, keeping history readable', async () => {
      const { db, done } = await open();
      try {
        await runMigrations(
          db,
          resourceStoreMigrations.filter((migration) => migration.id !== 'fhir-0007-content-once'),
        );
        // As the store wrote before: every version row with its content, the current one too.
        for (const [version, value] of [
          [1, 70],
          [2, 71],
        ]) {
          await db.execute(
            'INSERT INTO fhir_versions (seq, res_type, res_id, version, last_updated, deleted, patient_id, content) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)',
            [
              version,
              'Observation',
              'o1',
              version,
              version,
              'p1',
              JSON.stringify({ ...observation(value!), meta: { versionId: String(version) } }),
            ],
          );
        }
        await db.execute(
          'INSERT INTO fhir_resources (res_type, res_id, version, last_updated, seq, deleted, patient_id, status, content) VALUES ($1, $2, 2, 2, 2, 0, $3, $4, $5)',
          ['Observation', 'o1', 'p1', 'final', JSON.stringify({ ...observation(71), meta: { versionId: '2' } })],
        );
        expect(await storedCopies(db)).toBe(3);
        await runMigrations(db, resourceStoreMigrations);
        expect(await storedCopies(db)).toBe(2);
        expect(await history(db)).toEqual([
          [2, 71],
          [1, 70],
        ]);
      } finally {
        await done();
      }
    });

    it('keeps every version a hub stored before its history was keyed by seq, and goes on from there', async () => {
      const { db, done } = await open();
      try {
        const upTo = resourceStoreMigrations.findIndex((migration) => migration.id === 'fhir-0009-version-rowid');
        expect(upTo).toBeGreaterThan(0);
        await runMigrations(db, resourceStoreMigrations.slice(0, upTo));
        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [{ resource: observation(80), previous: null }]);
        });
        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [{ resource: observation(81), previous: await readCurrent(tx, 'Observation', 'o1') }]);
        });
        await write(db, async (tx, session) => {
          await writeDeletion(tx, session, (await readCurrent(tx, 'Observation', 'o1'))!);
        });
        if (db.dialect === 'sqlite') expect(await historyIndexes(db)).toHaveLength(4);
        const before = await history(db);
        expect(before).toEqual([
          [3, null],
          [2, 81],
          [1, 80],
        ]);
        await runMigrations(db, resourceStoreMigrations);
        expect(await history(db)).toEqual(before);
        expect(valueOf(await readVersion(db, 'Observation', 'o1', 1))).toBe(80);
        if (db.dialect === 'sqlite') {
          // The history row's key is its seq itself (the table's rowid): no index on seq beside it.
          expect(await historyIndexes(db)).toEqual([
            'fhir_versions_type_updated',
            'fhir_versions_updated',
            'sqlite_autoindex_fhir_versions_1',
          ]);
        }
        await write(db, async (tx, session) => {
          await writeVersions(tx, session, [{ resource: observation(82), previous: await readCurrent(tx, 'Observation', 'o1') }]);
        });
        expect(await history(db)).toEqual([[4, 82], ...before]);
        expect(await storedCopies(db)).toBe(3);
      } finally {
        await done();
      }
    });
  });
}

engineCases('SQLite', async () => {
  const folder = await mkdtemp(join(tmpdir(), 'wardline-version-content-'));
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
