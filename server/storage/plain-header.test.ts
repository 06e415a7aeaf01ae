// A hub's database file is recognised as plain SQLite by its header alone, whatever its size: a
// file larger than a Buffer may hold (here a sparse one) is still found out, not taken as encrypted.
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isPlainSqliteFile } from './sqlite-cipher.js';

const dir = mkdtempSync(join(tmpdir(), 'wardline-plain-header-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('isPlainSqliteFile', () => {
  it('reads only the header, so a database past 2 GiB is still recognised', () => {
    const file = join(dir, 'hub.db');
    writeFileSync(file, Buffer.from('SQLite format 3\0', 'latin1'));
    truncateSync(file, 2 ** 31 + 4096);
    expect(isPlainSqliteFile(file)).toBe(true);
  });

  it('says no for an encrypted-looking file, a short file and a missing one', () => {
    const random = join(dir, 'cipher.db');
    writeFileSync(random, Buffer.alloc(4096, 0x5a));
    const short = join(dir, 'short.db');
    writeFileSync(short, 'SQLite');
    expect([isPlainSqliteFile(random), isPlainSqliteFile(short), isPlainSqliteFile(join(dir, 'none.db'))]).toEqual([false, false, false]);
  });
});
