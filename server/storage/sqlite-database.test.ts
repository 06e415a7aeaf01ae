// The SQLite engine: $n placeholders, transactions that commit or roll back as a whole, concurrent
// transactions that never interleave, and reads that see committed data only.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, translatePlaceholders } from './sqlite-database.js';
import type { SqlDatabase } from './sql-database.js';

describe('SQLite engine', () => {
  let folder: string;
  let db: SqlDatabase;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-sqlite-'));
    db = openSqliteDatabase(join(folder, 'test.sqlite'));
    await db.execute('CREATE TABLE items (id TEXT PRIMARY KEY, n INTEGER NOT NULL)');
  });

  afterEach(async () => {
    await db.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('translates $n placeholders but leaves dollar signs inside string literals alone', () => {
    expect(translatePlaceholders("SELECT * FROM t WHERE a = $1 AND b = '$2' AND c = $10")).toEqual({
      sql: "SELECT * FROM t WHERE a = ? AND b = '$2' AND c = ?",
      order: [0, 9],
    });
  });

  it('refuses a statement given fewer values than its placeholders, and binds booleans as 0/1', async () => {
    await expect(db.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['only-one'])).rejects.toThrow(/\$2/);
    await db.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['yes', true]);
    expect(await db.query('SELECT id, n FROM items')).toEqual([{ id: 'yes', n: 1 }]);
  });

  it('binds repeated and out-of-order placeholders, and values that look like SQL stay values', async () => {
    await db.execute('INSERT INTO items (id, n) VALUES ($2, $1)', [7, "x'); DROP TABLE items; --"]);
    const rows = await db.query<{ id: string; n: number }>('SELECT id, n FROM items WHERE id = $1 OR id = $1', [
      "x'); DROP TABLE items; --",
    ]);
    expect(rows).toEqual([{ id: "x'); DROP TABLE items; --", n: 7 }]);
  });

  it('syncs the write-ahead log at a durable commit only (synchronous FULL), then returns to NORMAL', async () => {
    const during = await db.transaction(async (tx) => tx.query<{ synchronous: number }>('PRAGMA synchronous'), { durable: true });
    expect(during).toEqual([{ synchronous: 2 }]);
    const plain = await db.transaction(async (tx) => tx.query<{ synchronous: number }>('PRAGMA synchronous'));
    expect(plain).toEqual([{ synchronous: 1 }]);
    await expect(
      db.transaction(
        async () => {
          throw new Error('refused');
        },
        { durable: true },
      ),
    ).rejects.toThrow('refused');
    expect(await db.transaction(async (tx) => tx.query<{ synchronous: number }>('PRAGMA synchronous'))).toEqual([{ synchronous: 1 }]);
  });

  it('rolls back every statement of a transaction that throws', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['a', 1]);
        await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['b', 2]);
        throw new Error('entry 3 failed');
      }),
    ).rejects.toThrow('entry 3 failed');
    expect(await db.query('SELECT * FROM items')).toEqual([]);
  });

  it('runs concurrent transactions one after another, so read-modify-write never loses an update', async () => {
    await db.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['counter', 0]);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [row] = await tx.query<{ n: number }>('SELECT n FROM items WHERE id = $1', ['counter']);
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.execute('UPDATE items SET n = $1 WHERE id = $2', [row!.n + 1, 'counter']);
        }),
      ),
    );
    expect(await db.query('SELECT n FROM items WHERE id = $1', ['counter'])).toEqual([{ n: 20 }]);
  });

  it("does not show a transaction's uncommitted rows to reads outside it", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    const tx = db.transaction(async (t) => {
      await t.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['pending', 1]);
      inside();
      await held;
    });
    await started;
    expect(await db.query('SELECT * FROM items')).toEqual([]);
    release();
    await tx;
    expect(await db.query('SELECT id FROM items')).toEqual([{ id: 'pending' }]);
  });

  it('keeps the outer transaction when a nested one (a savepoint) rolls back', async () => {
    await db.transaction(async (tx) => {
      await tx.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['kept', 1]);
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute('INSERT INTO items (id, n) VALUES ($1, $2)', ['dropped', 2]);
          throw new Error('inner failed');
        }),
      ).rejects.toThrow('inner failed');
    });
    expect(await db.query('SELECT id FROM items')).toEqual([{ id: 'kept' }]);
  });

  it('refuses statements on a transaction handle after it ended', async () => {
    let leaked: SqlDatabase | undefined;
    await db.transaction(async (tx) => {
      leaked = tx;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toMatchObject({ code: 'TRANSACTION_FINISHED' });
  });
});
