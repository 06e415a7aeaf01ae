// The write-ahead log of an encrypted hub file is copied into the database file by the worker
// thread while writes go on (long before the writer's own checkpoint bound), nothing is lost, and
// closing the database stops the worker (the log is removed: no connection is left on the file).
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import { openSqliteDatabase } from './sqlite-database.js';

describe('WAL checkpoints off the writer thread', () => {
  let folder: string;
  let file: string;
  const key = randomBytes(32);

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-checkpoint-'));
    file = join(folder, 'hub.sqlite');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('copies a bulk load into the encrypted file as it goes, loses nothing, and stops with the database', async () => {
    const db = openSqliteDatabase(file, { key });
    await db.execute('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const sizeAfterSchema = statSync(file).size;
    // ~12 MB in 24 transactions: far below the writer's own checkpoint bound (~40 MB of log).
    const body = 'x'.repeat(1000);
    for (let batch = 0; batch < 24; batch++) {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 500; i++) await tx.execute('INSERT INTO items (id, body) VALUES ($1, $2)', [batch * 500 + i, body]);
      });
    }
    await vi.waitFor(() => expect(statSync(file).size).toBeGreaterThan(sizeAfterSchema + 8 * 1024 * 1024), {
      timeout: 20_000,
      interval: 50,
    });
    expect(await db.query('SELECT COUNT(*) AS n FROM items')).toEqual([{ n: 12_000 }]);
    await db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);

    const again = openSqliteDatabase(file, { key });
    try {
      expect(await again.query('SELECT COUNT(*) AS n, MAX(id) AS top FROM items')).toEqual([{ n: 12_000, top: 11_999 }]);
    } finally {
      await again.close();
    }
  });
});
