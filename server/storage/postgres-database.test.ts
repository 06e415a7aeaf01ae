// The PostgreSQL engine against a real server: serializable transactions that roll back as a whole,
// conflicting read-modify-write transactions retried until none loses an update, int8 as numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../tests/support/postgres.js';
import { openPostgresDatabase, withSerializableRetry } from './postgres-database.js';
import type { SqlDatabase } from './sql-database.js';

describe('PostgreSQL engine', () => {
  let server: TestPostgres;
  let db: SqlDatabase;

  beforeAll(async () => {
    server = await startTestPostgres();
    db = await openPostgresDatabase(await server.createDatabase());
    await db.execute('CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT NOT NULL)');
  });

  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });

  it('returns BIGINT and COUNT(*) as numbers, like the SQLite engine', async () => {
    await db.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['big', 1_700_000_000_000_000]);
    expect(await db.query('SELECT n, COUNT(*) AS c FROM items WHERE id = $1 GROUP BY n', ['big'])).toEqual([
      { n: 1_700_000_000_000_000, c: 1 },
    ]);
  });

  it('rolls back a transaction that throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['rolled-back', 1]);
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(await db.query('SELECT id FROM items WHERE id = $1', ['rolled-back'])).toEqual([]);
  });

  it('retries serialization failures so concurrent read-modify-write transactions lose no update', async () => {
    await db.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['counter', 0]);
    let attempts = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        db.transaction(async (tx) => {
          attempts++;
          const [row] = await tx.query<{ n: number }>('SELECT n FROM items WHERE id = $1', ['counter']);
          await new Promise((resolve) => setTimeout(resolve, 5));
          await tx.execute('UPDATE items SET n = $1 WHERE id = $2', [row!.n + 1, 'counter']);
        }),
      ),
    );
    expect(await db.query('SELECT n FROM items WHERE id = $1', ['counter'])).toEqual([{ n: 8 }]);
    expect(attempts).toBeGreaterThan(8);
  });

  it('gives up after the retry budget with a TRANSACTION_CONFLICT error', async () => {
    let calls = 0;
    await expect(
      withSerializableRetry(async () => {
        calls++;
        throw Object.assign(new Error('could not serialize access'), { code: '40001' });
      }, 2),
    ).rejects.toMatchObject({ code: 'TRANSACTION_CONFLICT' });
    expect(calls).toBe(3);
  });

  it('reports a wrong URL as DATABASE_UNAVAILABLE', async () => {
    await expect(openPostgresDatabase('postgres://nobody:wrong@127.0.0.1:1/none')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
  });
});
