// SQLCipher for the embedded hub database, through SQLite3MultipleCiphers (the driver the
// workstation vault uses): cipher 'sqlcipher', legacy 4 (plain SQLCipher 4: AES-256-CBC pages,
// HMAC-SHA512 per page), a raw 256-bit key (no passphrase KDF: the key is random), temp_store=MEMORY
// (no temp files with patient data) and secure_delete=ON (deleted rows are overwritten).
// The raw key reaches sqlite3_key as `x'<hex>'` built in a Buffer that is zeroed after use.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { StorageError } from './storage-error.js';

export type SqliteConnection = Database.Database;
export { Database as SqliteDriver };

const HEX = Buffer.from('0123456789abcdef', 'latin1');
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The raw key as SQLCipher's `x'<hex>'` passphrase, in a Buffer the caller zeroes after use. */
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

/** Selects SQLCipher 4 and keys the connection; must run before its first read or write. */
export function keySqliteConnection(connection: SqliteConnection, key: Buffer): void {
  connection.pragma(`cipher='sqlcipher'`);
  connection.pragma('legacy=4');
  const passphrase = rawKeyPassphrase(key);
  try {
    connection.key(passphrase);
  } finally {
    passphrase.fill(0);
  }
}

/** Pragmas of every encrypted hub connection (see the header). */
export function applyAtRestPragmas(connection: SqliteConnection): void {
  connection.pragma('temp_store=MEMORY');
  connection.pragma('secure_delete=ON');
}

/** True when `file` exists and starts with the plain SQLite header (an unencrypted database). */
export function isPlainSqliteFile(file: string): boolean {
  let header: Buffer;
  try {
    header = readFileSync(file).subarray(0, PLAIN_HEADER.length);
  } catch {
    return false;
  }
  return header.equals(PLAIN_HEADER);
}

export function isNotADatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_NOTADB';
}

/**
 * Switches to a rollback journal (SQLCipher cannot rekey in WAL mode); refused while another
 * connection holds the file, so a running hub's database is never rekeyed under it.
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

/**
 * Re-encrypts the database file under `newKey`, in place, in one transaction (a rollback journal:
 * SQLCipher cannot rekey in WAL mode). The salt is kept, so an interrupted rekey rolls back under
 * the old key at the next open. Needs the only connection to the file: while a hub process holds
 * it open, switching the journal mode fails and nothing changes.
 */
export function rekeySqliteFile(file: string, oldKey: Buffer, newKey: Buffer): void {
  const connection = new Database(file, { fileMustExist: true, timeout: 2_000 });
  try {
    keySqliteConnection(connection, oldKey);
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
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
 * Encrypts an unencrypted SQLite file in place under `key` (SQLite3MultipleCiphers encrypts a
 * plain database on rekey). Needs the only connection to the file, like rekeySqliteFile.
 */
export function encryptPlainSqliteFile(file: string, key: Buffer): void {
  const connection = new Database(file, { fileMustExist: true, timeout: 2_000 });
  try {
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    leaveWalMode(connection);
    connection.pragma(`cipher='sqlcipher'`);
    connection.pragma('legacy=4');
    rekeyAndReturnToWal(connection, rawKeyPassphrase(key));
  } finally {
    connection.close();
  }
}

/** True when `key` decrypts the database file (read-only probe; the file is not changed). */
export function sqliteKeyFits(file: string, key: Buffer): boolean {
  const connection = new Database(file, { fileMustExist: true, readonly: true });
  try {
    keySqliteConnection(connection, key);
    connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    return true;
  } catch (error) {
    if (isNotADatabase(error)) return false;
    throw error;
  } finally {
    connection.close();
  }
}
