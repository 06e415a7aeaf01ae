// The hub database's cipher: a new file is written with AEGIS-256, a file an earlier hub wrote with
// SQLCipher 4 (its last commits still in the write-ahead log) is re-encrypted at the next open with
// nothing lost, and what must not change does not: a wrong key is refused with WRONG_KEY and the
// file left byte for byte as it was, a file another process holds is refused and left alone, and a
// migration killed half way leaves the SQLCipher 4 file whole, migrated at the next open.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interruptPartWay } from '../../tests/support/interrupt-part-way.js';
import { HUB_CIPHER, SQLCIPHER_4, type SqliteCipher } from './hub-cipher.js';
import {
  encryptPlainSqliteFile,
  isPlainSqliteFile,
  keySqliteConnection,
  rawKeyPassphrase,
  reencryptionFileOf,
  reencryptionLockOf,
  rekeySqliteFile,
  rollBackInterruptedEncryption,
  sqliteKeyFits,
} from './sqlite-cipher.js';
import { openSqliteDatabase } from './sqlite-database.js';

const storageDir = fileURLToPath(new URL('.', import.meta.url));
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');

/** True when `key` under `cipher` reads the file (read-only). */
function opensUnder(file: string, key: Buffer, cipher: SqliteCipher): boolean {
  const connection = new Database(file, { readonly: true, fileMustExist: true });
  try {
    keySqliteConnection(connection, key, cipher);
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    return true;
  } catch {
    return false;
  } finally {
    connection.close();
  }
}

/**
 * A hub file as the previous version left it: SQLCipher 4, raw key, WAL mode, `rows` rows of ~1 KB
 * with the last transaction still only in the log (the process is killed, so nothing checkpoints).
 */
async function writeSqlcipher4File(folder: string, file: string, key: Buffer, rows: number): Promise<void> {
  const script = join(folder, 'old-hub.cjs');
  writeFileSync(
    script,
    `const Database = require(${JSON.stringify(DRIVER)});
const db = new Database(process.argv[2]);
for (const pragma of ${JSON.stringify(SQLCIPHER_4.pragmas)}) db.pragma(pragma);
db.key(Buffer.from(process.argv[3]));
db.pragma('journal_mode=WAL');
db.pragma('wal_autocheckpoint=0');
db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO items (id, body) VALUES (?, ?)');
const rows = Number(process.argv[4]);
db.transaction(() => { for (let i = 0; i < rows - 1; i++) insert.run(i, 'item ' + i + ' ' + 'x'.repeat(1000)); })();
db.pragma('wal_checkpoint(TRUNCATE)');
insert.run(rows - 1, 'the last item, in the log only');
process.kill(process.pid, 'SIGKILL');
`,
  );
  const passphrase = rawKeyPassphrase(key).toString('latin1');
  await new Promise<void>((resolve) => {
    spawn(process.execPath, [script, file, passphrase, String(rows)], { stdio: 'ignore' }).once('exit', () => resolve());
  });
  expect(existsSync(`${file}-wal`)).toBe(true);
}

function bytesOf(file: string): Buffer[] {
  return [file, `${file}-wal`].map((path) => (existsSync(path) ? readFileSync(path) : Buffer.alloc(0)));
}

describe("the hub database's cipher", () => {
  let folder: string;
  let file: string;
  const key = randomBytes(32);

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-hub-cipher-'));
    file = join(folder, 'hub.sqlite');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('writes a new file with AEGIS-256, which SQLCipher 4 settings cannot read', async () => {
    const db = openSqliteDatabase(file, { key });
    await db.execute('CREATE TABLE items (id INTEGER PRIMARY KEY)');
    await db.close();
    expect(HUB_CIPHER.pragmas).toContain("cipher='aegis'");
    expect(opensUnder(file, key, HUB_CIPHER)).toBe(true);
    expect(opensUnder(file, key, SQLCIPHER_4)).toBe(false);
    expect(opensUnder(file, randomBytes(32), HUB_CIPHER)).toBe(false);
  });

  it('re-encrypts a SQLCipher 4 file of an earlier hub at the next open, with every row, the log included', async () => {
    await writeSqlcipher4File(folder, file, key, 200);
    expect(opensUnder(file, key, SQLCIPHER_4)).toBe(true);

    const db = openSqliteDatabase(file, { key });
    try {
      expect(await db.query('SELECT count(*) AS n FROM items')).toEqual([{ n: 200 }]);
      expect(await db.query('SELECT body FROM items WHERE id = 199')).toEqual([{ body: 'the last item, in the log only' }]);
      await db.execute('INSERT INTO items (id, body) VALUES (200, $1)', ['written after the migration']);
    } finally {
      await db.close();
    }
    expect(opensUnder(file, key, SQLCIPHER_4)).toBe(false);
    expect(opensUnder(file, key, HUB_CIPHER)).toBe(true);
    expect(readdirSync(folder).filter((name) => name.includes('reencrypting'))).toEqual([]);
    const again = openSqliteDatabase(file, { key });
    try {
      expect(await again.query('SELECT count(*) AS n FROM items')).toEqual([{ n: 201 }]);
    } finally {
      await again.close();
    }
  });

  it('refuses a SQLCipher 4 file with a wrong key (WRONG_KEY) and leaves it byte for byte as it was', async () => {
    await writeSqlcipher4File(folder, file, key, 50);
    const before = bytesOf(file);
    expect(() => openSqliteDatabase(file, { key: randomBytes(32) })).toThrow(expect.objectContaining({ code: 'WRONG_KEY' }));
    expect(bytesOf(file)).toEqual(before);
    expect(existsSync(reencryptionFileOf(file))).toBe(false);
    expect(opensUnder(file, key, SQLCIPHER_4)).toBe(true);
  });

  it('leaves a SQLCipher 4 file alone while another process holds it open, and migrates it once that one has closed', async () => {
    await writeSqlcipher4File(folder, file, key, 50);
    const running = new Database(file, { fileMustExist: true });
    keySqliteConnection(running, key, SQLCIPHER_4);
    running.prepare('SELECT count(*) FROM items').pluck().get();
    try {
      expect(() => openSqliteDatabase(file, { key })).toThrow(expect.objectContaining({ code: 'DATABASE_UNAVAILABLE' }));
      expect(opensUnder(file, key, SQLCIPHER_4)).toBe(true);
      expect(running.prepare('SELECT count(*) FROM items').pluck().get()).toBe(50);
    } finally {
      running.close();
    }
    const db = openSqliteDatabase(file, { key });
    try {
      expect(await db.query('SELECT count(*) AS n FROM items')).toEqual([{ n: 50 }]);
    } finally {
      await db.close();
    }
  });

  it.each([
    ['while the file is copied', ''],
    ['while the copy is re-encrypted', '-journal'],
  ])('keeps the SQLCipher 4 file whole when the migration is killed %s, and migrates it at the next open', async (_when, suffix) => {
    await writeSqlcipher4File(folder, file, key, 20_000);
    const script = join(folder, 'migrate.mts');
    writeFileSync(
      script,
      `const { openSqliteDatabase } = await import(${JSON.stringify(join(storageDir, 'sqlite-database.ts'))});
const db = openSqliteDatabase(process.argv[2], { key: Buffer.from(process.argv[3], 'hex') });
await db.close();
`,
    );
    const work = reencryptionFileOf(file);
    const child = spawn(process.execPath, ['--import', 'tsx', script, file, key.toString('hex')], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // Killed (SIGKILL, as a power cut would stop it) once the copy exists, or its rekey's journal.
    let killed = false;
    while (!killed && child.exitCode === null) {
      if (existsSync(`${work}${suffix}`)) killed = child.kill('SIGKILL');
      else await new Promise((resolve) => setImmediate(resolve));
    }
    await exited;
    expect(killed).toBe(true);
    expect(opensUnder(file, key, SQLCIPHER_4)).toBe(true);

    const db = openSqliteDatabase(file, { key });
    try {
      expect(await db.query('SELECT count(*) AS n, max(id) AS top FROM items')).toEqual([{ n: 20_000, top: 19_999 }]);
    } finally {
      await db.close();
    }
    expect(opensUnder(file, key, HUB_CIPHER)).toBe(true);
    expect(existsSync(work)).toBe(false);
    expect(existsSync(`${work}-journal`)).toBe(false);
  });

  it('rekeys (rotate-keys) a file still under SQLCipher 4: afterwards only the new key opens it, with AEGIS-256', async () => {
    await writeSqlcipher4File(folder, file, key, 50);
    const newKey = randomBytes(32);
    expect(sqliteKeyFits(file, key)).toBe(true);
    rekeySqliteFile(file, key, newKey);
    expect(sqliteKeyFits(file, key)).toBe(false);
    expect(opensUnder(file, newKey, HUB_CIPHER)).toBe(true);
    const db = openSqliteDatabase(file, { key: newKey });
    try {
      expect(await db.query('SELECT count(*) AS n FROM items')).toEqual([{ n: 50 }]);
    } finally {
      await db.close();
    }
  });

  it.each([
    ['the hub opens it', false],
    ['rotate-keys runs again', true],
  ])(
    'rolls a rekey (rotate-keys) killed part-way back under the old key when %s, with every row; a wrong key still refused',
    async (_when, rotateAgain) => {
      const db = openSqliteDatabase(file, { key });
      await db.execute('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
      await db.transaction(async (tx) => {
        for (let i = 0; i < 20_000; i++)
          await tx.execute('INSERT INTO items (id, body) VALUES ($1, $2)', [i, `item ${i} ${'x'.repeat(1000)}`]);
      });
      await db.close();
      const script = join(folder, 'rekey.mts');
      writeFileSync(
        script,
        `const { rekeySqliteFile } = await import(${JSON.stringify(join(storageDir, 'sqlite-cipher.ts'))});
rekeySqliteFile(process.argv[2], Buffer.from(process.argv[3], 'hex'), Buffer.from(process.argv[4], 'hex'));
`,
      );
      // Killed once pages under the new key reach the file.
      let before = 0;
      const interrupted = await interruptPartWay(
        file,
        () => {
          before = statSync(file).mtimeMs;
          return spawn(process.execPath, ['--import', 'tsx', script, file, key.toString('hex'), randomBytes(32).toString('hex')], {
            stdio: 'ignore',
          });
        },
        () => existsSync(`${file}-journal`) && statSync(file).mtimeMs !== before,
      );
      expect(interrupted).toBe(true);

      // Refused, saying which key opens it now (not to run encrypt-database, which has nothing to do here).
      let refusal: unknown;
      try {
        await openSqliteDatabase(file, { key: randomBytes(32) }).close();
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toMatchObject({ code: 'WRONG_KEY', message: expect.stringContaining('rotate-keys was interrupted') });
      expect((refusal as Error).message).not.toContain('encrypt-database');
      expect(existsSync(`${file}-journal`)).toBe(true);
      // rotate-keys first asks which key opens the file (the old one, once the journal is rolled back).
      if (rotateAgain) expect(sqliteKeyFits(file, key)).toBe(true);
      const again = openSqliteDatabase(file, { key });
      try {
        expect(await again.query('SELECT count(*) AS n, max(id) AS top FROM items')).toEqual([{ n: 20_000, top: 19_999 }]);
        expect(await again.query('PRAGMA quick_check')).toEqual([{ quick_check: 'ok' }]);
      } finally {
        await again.close();
      }
    },
  );

  it("leaves the migration (and another process's copy in progress) alone while that process holds the lock, and takes over a lock whose holder died", async () => {
    await writeSqlcipher4File(folder, file, key, 50);
    const lock = reencryptionLockOf(file);
    const work = reencryptionFileOf(file);
    writeFileSync(lock, `${process.pid}\n`);
    writeFileSync(work, 'the copy another process is writing');
    expect(() => openSqliteDatabase(file, { key })).toThrow(expect.objectContaining({ code: 'DATABASE_UNAVAILABLE' }));
    expect(readFileSync(work, 'latin1')).toBe('the copy another process is writing');
    expect(opensUnder(file, key, SQLCIPHER_4)).toBe(true);

    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise<void>((resolve) => dead.once('exit', () => resolve()));
    writeFileSync(lock, `${dead.pid}\n`);
    const db = openSqliteDatabase(file, { key });
    try {
      expect(await db.query('SELECT count(*) AS n FROM items')).toEqual([{ n: 50 }]);
    } finally {
      await db.close();
    }
    expect(opensUnder(file, key, HUB_CIPHER)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(work)).toBe(false);
  });

  /** Reads every row of `items` through a connection keyed after the literal `pragmas`. */
  function readAllWith(pragmas: readonly string[], key: Buffer): unknown {
    const connection = new Database(file, { readonly: true, fileMustExist: true });
    try {
      for (const pragma of pragmas) connection.pragma(pragma);
      const passphrase = rawKeyPassphrase(key);
      connection.key(passphrase);
      passphrase.fill(0);
      return connection.prepare('SELECT count(*) AS n, sum(length(body)) AS bytes FROM items').get();
    } finally {
      connection.close();
    }
  }

  it('is AEGIS-256 on disk: read by those literal settings only, no plain SQLite header, and a flipped byte refused', async () => {
    const db = openSqliteDatabase(file, { key });
    await db.execute('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    await db.transaction(async (tx) => {
      for (let i = 0; i < 40; i++) await tx.execute('INSERT INTO items (id, body) VALUES ($1, $2)', [i, 'y'.repeat(1000)]);
    });
    await db.close();
    expect(existsSync(`${file}-wal`)).toBe(false);

    const aegis256 = ["cipher='aegis'", "algorithm='aegis-256'"];
    expect(readAllWith(aegis256, key)).toEqual({ n: 40, bytes: 40_000 });
    expect(() => readAllWith(["cipher='aegis'", "algorithm='aegis-128l'"], key)).toThrow();
    expect(() => readAllWith(["cipher='chacha20'"], key)).toThrow();
    expect(() => readAllWith(SQLCIPHER_4.pragmas, key)).toThrow();
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(bytes.includes('y'.repeat(64))).toBe(false);

    // One bit changed in a page of rows (as a disk or an attacker might): the page fails its tag.
    const pageSize = 4096;
    expect(bytes.length).toBeGreaterThan(4 * pageSize);
    bytes[3 * pageSize + 2000]! ^= 0x01;
    writeFileSync(file, bytes);
    expect(() => readAllWith(aegis256, key)).toThrow(expect.objectContaining({ code: 'SQLITE_CORRUPT' }));
  });

  it.skipIf(process.getuid?.() !== 0)('keeps the owner and group of a file migrated by root', async () => {
    await writeSqlcipher4File(folder, file, key, 50);
    chownSync(file, 4321, 4322);
    const db = openSqliteDatabase(file, { key });
    await db.close();
    expect(opensUnder(file, key, HUB_CIPHER)).toBe(true);
    expect(statSync(file)).toEqual(expect.objectContaining({ uid: 4321, gid: 4322 }));
  });

  it('opens a SQLCipher 4 file whose rotate-keys (by an earlier hub) was killed part-way: rolled back under the old key, then migrated, with every row', async () => {
    await writeSqlcipher4File(folder, file, key, 20_000);
    const script = join(folder, 'old-rekey.cjs');
    writeFileSync(
      script,
      `const Database = require(${JSON.stringify(DRIVER)});
const db = new Database(process.argv[2]);
for (const pragma of ${JSON.stringify(SQLCIPHER_4.pragmas)}) db.pragma(pragma);
db.key(Buffer.from(process.argv[3]));
db.pragma('journal_mode=DELETE');
require('node:fs').writeFileSync(process.argv[2] + '.ready', '');
db.rekey(Buffer.from(process.argv[4]));
`,
    );
    const passphrase = (k: Buffer): string => rawKeyPassphrase(k).toString('latin1');
    // Killed once pages under the new key reach the file (after its switch out of WAL mode).
    let before = -1;
    const interrupted = await interruptPartWay(
      file,
      () => {
        before = -1;
        rmSync(`${file}.ready`, { force: true });
        return spawn(process.execPath, [script, file, passphrase(key), passphrase(randomBytes(32))], { stdio: 'ignore' });
      },
      () => {
        if (before < 0 && existsSync(`${file}.ready`)) before = statSync(file).mtimeMs;
        return before >= 0 && existsSync(`${file}-journal`) && statSync(file).mtimeMs !== before;
      },
    );
    expect(interrupted).toBe(true);
    expect(() => openSqliteDatabase(file, { key: randomBytes(32) })).toThrow(
      expect.objectContaining({ code: 'WRONG_KEY', message: expect.stringContaining('rotate-keys was interrupted') }),
    );

    const db = openSqliteDatabase(file, { key });
    try {
      expect(await db.query('SELECT count(*) AS n, max(id) AS top FROM items')).toEqual([{ n: 20_000, top: 19_999 }]);
    } finally {
      await db.close();
    }
    expect(opensUnder(file, key, HUB_CIPHER)).toBe(true);
  });

  it('encrypt-database, killed after it wrote page 1, is rolled back to the plain file and can run again, with every row', async () => {
    const plain = new Database(file);
    plain.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = plain.prepare('INSERT INTO items (id, body) VALUES (?, ?)');
    plain.transaction(() => {
      for (let i = 0; i < 20_000; i++) insert.run(i, 'z'.repeat(1000));
    })();
    plain.close();
    const script = join(folder, 'encrypt.mts');
    writeFileSync(
      script,
      `const { encryptPlainSqliteFile } = await import(${JSON.stringify(join(storageDir, 'sqlite-cipher.ts'))});
encryptPlainSqliteFile(process.argv[2], Buffer.from(process.argv[3], 'hex'));
`,
    );
    // Killed once the file's first page is encrypted, its journal not yet removed.
    const interrupted = await interruptPartWay(
      file,
      () => spawn(process.execPath, ['--import', 'tsx', script, file, key.toString('hex')], { stdio: 'ignore' }),
      () => existsSync(`${file}-journal`) && !isPlainSqliteFile(file),
    );
    expect(interrupted).toBe(true);
    expect(() => openSqliteDatabase(file, { key })).toThrow(
      expect.objectContaining({
        code: 'WRONG_KEY',
        message: expect.stringContaining('encrypt-database was interrupted on this file: run it again'),
      }),
    );

    rollBackInterruptedEncryption(file);
    expect(isPlainSqliteFile(file)).toBe(true);
    encryptPlainSqliteFile(file, key);
    const db = openSqliteDatabase(file, { key });
    try {
      expect(await db.query('SELECT count(*) AS n, max(id) AS top FROM items')).toEqual([{ n: 20_000, top: 19_999 }]);
    } finally {
      await db.close();
    }
  });
});
