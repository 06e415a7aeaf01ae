// Encryption of the embedded hub database at rest, through SQLite3MultipleCiphers: the cipher is
// HUB_CIPHER (hub-cipher.ts) with a raw 256-bit key (no passphrase KDF: the key is random),
// temp_store=MEMORY (no temp files with patient data) and secure_delete=ON (deleted rows are
// overwritten). The raw key reaches sqlite3_key as `x'<hex>'` built in a Buffer that is zeroed after
// use. Rekeying, encrypting a plain file from an earlier version, and re-encrypting a file written
// under an earlier hub cipher (EARLIER_HUB_CIPHERS) all need the only connection to the file.
import {
  chownSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { uptime } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { EARLIER_HUB_CIPHERS, HUB_AT_REST_PRAGMAS, HUB_CIPHER, type SqliteCipher } from './hub-cipher.js';
import { StorageError } from './storage-error.js';

export type SqliteConnection = Database.Database;
export { Database as SqliteDriver };

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The raw key as SQLite3MultipleCiphers' `x'<hex>'` passphrase, in a Buffer the caller zeroes after use. */
export function rawKeyPassphrase(key: Buffer, saltHex = ''): Buffer {
  const out = Buffer.alloc(key.length * 2 + saltHex.length + 3);
  out[0] = 0x78; // x
  out[1] = 0x27; // '
  for (let i = 0; i < key.length; i += 1) {
    out[2 + 2 * i] = HEX[key[i]! >> 4]!;
    out[3 + 2 * i] = HEX[key[i]! & 0x0f]!;
  }
  out.write(saltHex, 2 + key.length * 2, 'latin1');
  out[out.length - 1] = 0x27;
  return out;
}

function selectCipher(connection: SqliteConnection, cipher: SqliteCipher): void {
  for (const pragma of cipher.pragmas) connection.pragma(pragma);
}

/** Selects the cipher (the hub's by default) and keys the connection; must run before its first read or write. */
export function keySqliteConnection(connection: SqliteConnection, key: Buffer, cipher: SqliteCipher = HUB_CIPHER): void {
  selectCipher(connection, cipher);
  const passphrase = rawKeyPassphrase(key);
  try {
    connection.key(passphrase);
  } finally {
    passphrase.fill(0);
  }
}

/** Pragmas of every encrypted hub connection (see the header). */
export function applyAtRestPragmas(connection: SqliteConnection): void {
  for (const pragma of HUB_AT_REST_PRAGMAS) connection.pragma(pragma);
}

/** True when `page` (a database's first page, or its start) begins with the plain SQLite header. */
export function startsWithPlainSqliteHeader(page: Buffer): boolean {
  return page.subarray(0, PLAIN_HEADER.length).equals(PLAIN_HEADER);
}

/** True when `file` exists and starts with the plain SQLite header (an unencrypted database). */
export function isPlainSqliteFile(file: string): boolean {
  // Only the header is read: a hub's database can be larger than a Buffer may be.
  const header = Buffer.alloc(PLAIN_HEADER.length);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    return readSync(fd, header, 0, header.length, 0) === header.length && startsWithPlainSqliteHeader(header);
  } finally {
    closeSync(fd);
  }
}

export function isNotADatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_NOTADB';
}

/**
 * Switches to a rollback journal (the log is copied into the file and removed; the cipher cannot
 * rekey in WAL mode); refused while another connection holds the file, so a running hub's database
 * is never changed under it.
 */
function leaveWalMode(connection: Database.Database): void {
  const inUse = 'The hub database is in use: stop every hub process on this data folder first.';
  try {
    connection.pragma('journal_mode=DELETE');
  } catch (cause) {
    throw new StorageError('DATABASE_UNAVAILABLE', inUse, { cause });
  }
  if (connection.pragma('journal_mode', { simple: true }) !== 'delete') throw new StorageError('DATABASE_UNAVAILABLE', inUse);
}

/** Rekeys under `passphrase` (then wiped from memory) and goes back to WAL mode. */
function rekeyAndReturnToWal(connection: Database.Database, passphrase: Buffer): void {
  try {
    connection.rekey(passphrase);
  } finally {
    passphrase.fill(0);
  }
  connection.pragma('journal_mode=WAL');
}

function isHotJournal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_READONLY_ROLLBACK';
}

function probeKey(file: string, key: Buffer, cipher: SqliteCipher, readonly: boolean): boolean {
  const connection = new Database(file, { fileMustExist: true, readonly, timeout: 2_000 });
  try {
    keySqliteConnection(connection, key, cipher);
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    return true;
  } catch (error) {
    if (isNotADatabase(error)) return false;
    throw error;
  } finally {
    connection.close();
  }
}

/**
 * True when `key` under `cipher` decrypts the database file. A read-only probe, which changes nothing;
 * but a journal left by an interrupted rekey (rotate-keys, encrypt-database) can only be rolled back
 * by a writer, so then the probe is repeated read-write: the key that decrypts the journal rolls the
 * file back to its state before the rekey (any other is refused with NOTADB and changes nothing).
 */
function keyFitsUnder(file: string, key: Buffer, cipher: SqliteCipher): boolean {
  try {
    return probeKey(file, key, cipher, true);
  } catch (error) {
    if (!isHotJournal(error)) throw error;
    return probeKey(file, key, cipher, false);
  }
}

/** Where a re-encryption under a new cipher is prepared, beside the file (same file system). */
export function reencryptionFileOf(file: string): string {
  return `${file}.reencrypting`;
}

function fsyncPath(path: string): void {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The lock held for a whole re-encryption: a file beside the database, holding its holder's pid. */
export function reencryptionLockOf(file: string): string {
  return `${file}.reencrypting-lock`;
}

/** A lock whose holder is gone: its process no longer runs, or it was taken before the machine started. */
function isStaleLock(lock: string): boolean {
  let text: string;
  let modifiedMs: number;
  try {
    text = readFileSync(lock, 'latin1');
    modifiedMs = statSync(lock).mtimeMs;
  } catch {
    return false;
  }
  if (modifiedMs < Date.now() - uptime() * 1000) return true;
  const pid = Number.parseInt(text, 10);
  // No pid yet: its holder is between creating the file and writing to it, unless that was long ago.
  if (!Number.isSafeInteger(pid) || pid <= 0) return modifiedMs < Date.now() - 10_000;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: unknown }).code === 'ESRCH';
  }
}

/**
 * Takes the re-encryption lock (created exclusively; a stale one, left by a process that died, is
 * replaced) and returns its release; refused with DATABASE_UNAVAILABLE while another process holds it.
 */
function takeReencryptionLock(file: string): () => void {
  const lock = reencryptionLockOf(file);
  for (let attempt = 1; ; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      if (attempt === 1 && isStaleLock(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      throw new StorageError(
        'DATABASE_UNAVAILABLE',
        `Another hub process is re-encrypting the hub database: let it finish (if none runs, remove ${lock}).`,
      );
    }
    try {
      writeSync(fd, `${process.pid}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return () => rmSync(lock, { force: true });
  }
}

/**
 * Gives the copy the original's owner and group (the copy keeps its mode, not its owner), so a hub
 * run as root for the migration leaves a file its own user can still open. Only root may do so: for
 * any other user the copy is theirs already, as the original was (they could not replace it otherwise).
 */
function keepOwner(copy: string, original: { readonly uid: bigint; readonly gid: bigint }): void {
  try {
    chownSync(copy, Number(original.uid), Number(original.gid));
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EPERM') throw error;
  }
}

function removeReencryptionLeftovers(file: string): void {
  const work = reencryptionFileOf(file);
  for (const leftover of [work, `${work}-journal`, `${work}-wal`, `${work}-shm`]) rmSync(leftover, { force: true });
}

/**
 * Re-encrypts a file written under `from` (an earlier hub cipher) with HUB_CIPHER, same key, crash-safe:
 * the file is brought out of WAL mode (its log copied in, refused while another process holds it),
 * copied beside itself, the copy re-encrypted and checked (quick_check: every page decrypts and
 * authenticates, every b-tree is sound), synced, and renamed over the file in one step. Until that
 * rename the file's content is untouched (only its journal mode was switched); a crash leaves only the
 * copy, removed at the next attempt. All of it holds the re-encryption lock, so two processes never
 * re-encrypt one file at once, and only the lock's holder removes a copy left over. Needs free disk
 * space for the copy, and memory about the size of the database (see below).
 */
function reencryptUnderHubCipher(file: string, key: Buffer, from: SqliteCipher): void {
  const release = takeReencryptionLock(file);
  try {
    reencryptWhileLocked(file, key, from);
  } finally {
    release();
  }
}

function reencryptWhileLocked(file: string, key: Buffer, from: SqliteCipher): void {
  removeReencryptionLeftovers(file);
  const source = new Database(file, { fileMustExist: true, timeout: 2_000 });
  try {
    keySqliteConnection(source, key, from);
    source.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    leaveWalMode(source);
  } finally {
    source.close();
  }
  const before = statSync(file, { bigint: true });
  const work = reencryptionFileOf(file);
  try {
    copyFileSync(file, work);
    keepOwner(work, before);
    const copy = new Database(work, { fileMustExist: true });
    try {
      keySqliteConnection(copy, key, from);
      // The cipher's rekey rebuilds the file through a temporary database (a VACUUM: the two ciphers
      // reserve different room per page); in a temp FILE that database is plain SQLite, so it is kept
      // in memory (about the database's size, for this one-time migration).
      applyAtRestPragmas(copy);
      selectCipher(copy, HUB_CIPHER);
      const passphrase = rawKeyPassphrase(key);
      try {
        copy.rekey(passphrase);
      } finally {
        passphrase.fill(0);
      }
    } finally {
      copy.close();
    }
    const check = new Database(work, { fileMustExist: true });
    try {
      keySqliteConnection(check, key, HUB_CIPHER);
      const result = check.pragma('quick_check', { simple: true });
      if (result !== 'ok')
        throw new StorageError(
          'DATABASE_UNAVAILABLE',
          `The hub database could not be re-encrypted with ${HUB_CIPHER.name}; it was left untouched.`,
        );
    } finally {
      check.close();
    }
    fsyncPath(work);
    const after = statSync(file, { bigint: true });
    if (after.size !== before.size || after.mtimeNs !== before.mtimeNs) {
      throw new StorageError('DATABASE_UNAVAILABLE', 'The hub database is in use: stop every hub process on this data folder first.');
    }
    renameSync(work, file);
    fsyncPath(dirname(file));
  } catch (cause) {
    if (cause instanceof StorageError) throw cause;
    throw new StorageError(
      'DATABASE_UNAVAILABLE',
      `The hub database could not be re-encrypted with ${HUB_CIPHER.name} (this needs free disk space for one copy of the file, and memory about its size); it was left untouched.`,
      { cause },
    );
  } finally {
    removeReencryptionLeftovers(file);
  }
}

/**
 * Brings a file that `key` opens under an earlier hub cipher to HUB_CIPHER (see reencryptUnderHubCipher).
 * True when it did; false when the file is already under HUB_CIPHER, or `key` opens it under no known
 * cipher (a wrong key: the file is left untouched, and opening it is refused as before).
 */
export function upgradeHubCipher(file: string, key: Buffer): boolean {
  if (!existsSync(file) || keyFitsUnder(file, key, HUB_CIPHER)) return false;
  const earlier = EARLIER_HUB_CIPHERS.find((cipher) => keyFitsUnder(file, key, cipher));
  if (earlier === undefined) return false;
  reencryptUnderHubCipher(file, key, earlier);
  return true;
}

/**
 * Re-encrypts the database file under `newKey`, in place, in one transaction (a rollback journal:
 * the cipher cannot rekey in WAL mode). The salt is passed along for a cipher that uses one with a
 * raw key (AEGIS-256 does not). An interrupted rekey leaves its journal, which the next read-write
 * open under the old key rolls back (openSqliteDatabase, and keyFitsUnder for rotate-keys). A file still under an earlier hub cipher is first brought to
 * HUB_CIPHER. Needs the only connection to the file: while a hub process holds it open, switching
 * the journal mode fails and nothing changes.
 */
export function rekeySqliteFile(file: string, oldKey: Buffer, newKey: Buffer): void {
  upgradeHubCipher(file, oldKey);
  const connection = new Database(file, { fileMustExist: true, timeout: 2_000 });
  try {
    keySqliteConnection(connection, oldKey);
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    // The rekey rebuilds through a temporary database: in memory, never a plain temp file.
    applyAtRestPragmas(connection);
    const salt = connection.pragma('cipher_salt', { simple: true });
    if (typeof salt !== 'string' || !/^[0-9a-fA-F]{32}$/.test(salt)) {
      throw new StorageError('WRONG_KEY', "The hub database's cipher salt could not be read, so its key was not changed.");
    }
    leaveWalMode(connection);
    rekeyAndReturnToWal(connection, rawKeyPassphrase(newKey, salt));
  } finally {
    connection.close();
  }
}

/**
 * Rolls back the journal an interrupted encrypt-database can leave once it has written page 1 (the
 * file no longer starts with the plain header, and no key opens it). The journal holds the pages as
 * they were, byte for byte; a connection without a key plays them back as they are, so the file is
 * again what it was before that transaction (plain; or, for an interrupted rotate-keys, encrypted
 * under its old key). Nothing happens without a journal, or while another process holds the file.
 */
export function rollBackInterruptedEncryption(file: string): void {
  if (!existsSync(`${file}-journal`) || isPlainSqliteFile(file)) return;
  const connection = new Database(file, { fileMustExist: true, timeout: 2_000 });
  try {
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  } catch (error) {
    if (!isNotADatabase(error)) throw error;
  } finally {
    connection.close();
  }
}

/**
 * Encrypts an unencrypted SQLite file in place under `key` (SQLite3MultipleCiphers encrypts a
 * plain database on rekey). Needs the only connection to the file, like rekeySqliteFile.
 */
export function encryptPlainSqliteFile(file: string, key: Buffer): void {
  const connection = new Database(file, { fileMustExist: true, timeout: 2_000 });
  try {
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    // The rekey rebuilds through a temporary database: in memory, never a plain temp file in /var/tmp.
    applyAtRestPragmas(connection);
    leaveWalMode(connection);
    selectCipher(connection, HUB_CIPHER);
    rekeyAndReturnToWal(connection, rawKeyPassphrase(key));
  } finally {
    connection.close();
  }
}

/** True when `key` decrypts the database file, under the hub cipher or an earlier one (read-only probe). */
export function sqliteKeyFits(file: string, key: Buffer): boolean {
  return [HUB_CIPHER, ...EARLIER_HUB_CIPHERS].some((cipher) => keyFitsUnder(file, key, cipher));
}
