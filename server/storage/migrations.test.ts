// The migration runner on both engines: each migration once, in order, recorded; two runners
// starting together (two hub processes) do not apply anything twice, nor fail on creating their
// bookkeeping table at the same instant; a failing migration leaves nothing half-done.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.js';
import { runMigrations, type HubMigration } from './migrations.js';
import { openPostgresDatabase } from './postgres-database.js';
import type { SqlDatabase } from './sql-database.js';
import { openSqliteDatabase } from './sqlite-database.js';

const migrations: HubMigration[] = [
  { id: 'test-0001', up: async (db) => void (await db.execute('CREATE TABLE a (x INTEGER)')) },
  { id: 'test-0002', up: async (db) => void (await db.execute('INSERT INTO a (x) VALUES (1)')) },
];

const here = new URL('.', import.meta.url).pathname;

/** A separate hub process: opens the database and runs the same migrations, printing what it applied. */
const RUNNER = `
import { openPostgresDatabase, openSqliteDatabase, runMigrations } from '${here}index.ts';
const [engine, target] = process.argv.slice(2);
const db = engine === 'postgres' ? await openPostgresDatabase(target) : openSqliteDatabase(target);
const slow = async (ms) => new Promise((r) => setTimeout(r, ms));
const applied = await runMigrations(db, [
  { id: 'test-0001', up: async (tx) => { await slow(200); await tx.execute('CREATE TABLE a (x INTEGER)'); } },
  { id: 'test-0002', up: async (tx) => { await tx.execute('INSERT INTO a (x) VALUES (1)'); } },
]);
await db.close();
process.stdout.write(JSON.stringify(applied));
`;

describe.each(['sqlite', 'postgres'] as const)('migrations on %s', (engine) => {
  let server: TestPostgres | undefined;
  let folder: string;
  const open: SqlDatabase[] = [];

  async function fresh(): Promise<() => Promise<SqlDatabase>> {
    if (engine === 'postgres') {
      const url = await server!.createDatabase();
      return async () => {
        const db = await openPostgresDatabase(url);
        open.push(db);
        return db;
      };
    }
    const file = join(folder, `${open.length}-${Math.random()}.sqlite`);
    return async () => {
      const db = openSqliteDatabase(file);
      open.push(db);
      return db;
    };
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-migrations-'));
    if (engine === 'postgres') server = await startTestPostgres();
  });

  afterAll(async () => {
    for (const db of open) await db.close();
    await server?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('applies each migration once and records it', async () => {
    const connect = await fresh();
    const db = await connect();
    expect(await runMigrations(db, migrations)).toEqual(['test-0001', 'test-0002']);
    expect(await runMigrations(db, migrations)).toEqual([]);
    expect(await db.query('SELECT x FROM a')).toEqual([{ x: 1 }]);
    expect((await db.query<{ id: string }>('SELECT id FROM hub_migrations ORDER BY id')).map((r) => r.id)).toEqual([
      'test-0001',
      'test-0002',
    ]);
  });

  it('lets two hub processes start together without applying anything twice', async () => {
    const target = engine === 'postgres' ? await server!.createDatabase() : join(folder, 'shared.sqlite');
    const script = join(folder, `runner-${engine}.mts`);
    await writeFile(script, RUNNER);
    const run = (): Promise<string[]> =>
      new Promise((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', script, engine, target], { cwd: process.cwd() }, (error, stdout, stderr) => {
          if (error) reject(new Error(`${error.message}\n${stderr}`));
          else resolve(JSON.parse(stdout) as string[]);
        });
      });
    const applied = await Promise.all([run(), run()]);
    expect(applied.flat().sort()).toEqual(['test-0001', 'test-0002']);
    const db = engine === 'postgres' ? await openPostgresDatabase(target) : openSqliteDatabase(target);
    open.push(db);
    expect(await db.query('SELECT x FROM a')).toEqual([{ x: 1 }]);
  });

  // PostgreSQL only: SQLite's driver is synchronous, so three connections in one process would wait
  // on each other on the one thread; the two-process test above races them on SQLite.
  it.runIf(engine === 'postgres')('lets hub processes create the bookkeeping table at the same instant, time after time', async () => {
    // Three hubs on one database, racing to create hub_migrations; the table is dropped again between
    // rounds. Without a lock around the creation, PostgreSQL refused one of them every few dozen
    // rounds ("type already exists"), which is how "two hub processes" failed under load.
    const connect = await fresh();
    const hubs = [await connect(), await connect(), await connect()];
    for (let round = 0; round < 150; round++) {
      await hubs[0]!.execute('DROP TABLE IF EXISTS hub_migrations');
      const results = await Promise.allSettled(hubs.map((db) => runMigrations(db, [])));
      const refused = results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
      expect(refused, `round ${round}`).toEqual([]);
    }
    expect(await hubs[1]!.query('SELECT id FROM hub_migrations')).toEqual([]);
  });

  it('leaves nothing behind when a migration fails', async () => {
    const connect = await fresh();
    const db = await connect();
    const failing: HubMigration[] = [
      ...migrations,
      { id: 'test-0003', up: async (tx) => void (await tx.execute('INSERT INTO missing_table VALUES (1)')) },
    ];
    await expect(runMigrations(db, failing)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
    expect(await db.query('SELECT id FROM hub_migrations')).toEqual([]);
  });
});
