// Opens a connection to a SQLCipher 4 database with a raw 256-bit key and the vault's pragmas.
//
// Cipher: SQLite3MultipleCiphers with cipher='sqlcipher', legacy=4, i.e. plain SQLCipher 4 (AES-256-CBC,
// HMAC-SHA512 per page, 4096-byte pages), readable by Zetetic SQLCipher 4 given the key.
// Key: a raw key in SQLCipher's `x'<64 hex>'` form (no passphrase KDF: the key is already random).
// It is handed to sqlite3_key through `db.key(Buffer)`, exactly what `PRAGMA key="x'…'"` does,
// but the hex form is built byte by byte in a Buffer that is zeroed right after; no JavaScript
// string ever holds the key (strings cannot be wiped).
// Pragmas: journal_mode=WAL, temp_store=MEMORY (no temp files with PHI), secure_delete=ON
// (deleted rows are overwritten), foreign_keys=ON, cache_size 32 MiB (the indexes' working set
// stays decrypted in memory: without it a large sync re-reads, re-authenticates and re-encrypts the
// same index pages batch after batch; memory that holds chart pages anyway while they are shown;
// 8 MiB while the sync's initial load writes, see BULK_LOAD_CACHE_KIB), synchronous=NORMAL.
// NORMAL in WAL mode keeps the database consistent after a crash or power cut; only the last
// commits before a power cut may be lost. That suits a chart cache refilled from the hub at the
// next sync; writes that must survive a power cut (the outbox of local documentation) use
// `transaction(fn, { durable: true })`, which commits with synchronous=FULL.
// Two writers leave WAL for a while and come back: a rekey (the engine rekeys only with a rollback
// journal) and the sync's initial load (bulk-load.ts: journal_mode=DELETE with synchronous=FULL,
// which costs a WAL checkpoint's decrypting and re-encrypting of every page less). A journal is
// encrypted like every page; one left by a crash is rolled back by the next open's first read (the
// schema read below, before applyVaultPragmas), and applyVaultPragmas puts the file back in WAL.
import Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from './vault-error.js';

export type Db = Database.Database;

/**
 * The vault's cipher, one source for every connection to the vault and the audit log (this module's
 * keyConnection and the integrity check's worker): plain SQLCipher 4, run in order before the key.
 * It stays SQLCipher 4 (the hub uses AEGIS-256): these files must open in Zetetic SQLCipher.
 */
export const VAULT_CIPHER_PRAGMAS: readonly string[] = ["cipher='sqlcipher'", 'legacy=4'];

export const KEY_BYTES = 32;
/**
 * WAL pages before SQLite copies them back into the database (default 1,000). Every checkpoint
 * decrypts, re-encrypts and re-authenticates each page it copies; a bulk sync at the default
 * checkpoints every few batches and copies the same index pages again and again. 8,192 pages
 * (32 MiB of WAL, all of it encrypted) lets a page change many times between checkpoints.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 8192;
/** Page cache per connection, in KiB (see the header). */
export const CACHE_KIB = 32 * 1024;
/**
 * The page cache while the sync's initial load writes (Vault.beginBulkLoad): a bulk load reads
 * little of what it writes back, while the process holds its pages beside it. A quarter of the
 * usual cache keeps the sync's peak memory under 200 MB (issue 15's goal for the 40-patient ward)
 * at ~5-10 % more CPU per resource than half (the indexes' working set no longer fits whole);
 * docs/ARCHITECTURE.md, "Session 8".
 */
export const BULK_LOAD_CACHE_KIB = 8 * 1024;
/** synchronous in WAL mode (see the header); bulk-load.ts raises it while a rollback journal is in force. */
export const WAL_SYNCHRONOUS = 'NORMAL';
const HEX = Buffer.from('0123456789abcdef', 'latin1');

/**
 * `x'<key hex>'`, or `x'<key hex><salt hex>'` when a salt is given, as bytes for sqlite3_key and
 * sqlite3_rekey. The caller zeroes the result.
 */
export function rawKeyPassphrase(key: Buffer, saltHex?: string): Buffer {
  const salt = saltHex === undefined ? '' : saltHex;
  const out = Buffer.alloc(key.length * 2 + salt.length + 3);
  out[0] = 0x78; // x
  out[1] = 0x27; // '
  for (let i = 0; i < key.length; i += 1) {
    const byte = key[i]!;
    out[2 + 2 * i] = HEX[byte >> 4]!;
    out[3 + 2 * i] = HEX[byte & 0x0f]!;
  }
  out.write(salt, 2 + key.length * 2, 'latin1');
  out[out.length - 1] = 0x27;
  return out;
}

function assertKeyShape(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new VaultError(
      'WRONG_KEY_OR_CORRUPT',
      "The chart cache key in the OS keystore is malformed, so the cache cannot be read. Wipe this workstation's cache (wardline wipe) and let it sync again.",
    );
  }
}

/** Selects SQLCipher 4 and keys the connection. Must run before the first read or write. */
export function keyConnection(db: Db, key: Buffer): void {
  assertKeyShape(key);
  for (const pragma of VAULT_CIPHER_PRAGMAS) db.pragma(pragma);
  const passphrase = rawKeyPassphrase(key);
  try {
    db.key(passphrase);
  } finally {
    passphrase.fill(0);
  }
}

/**
 * Re-encrypts every page with `newKey`, in place, in one transaction with a rollback journal (the
 * engine refuses to rekey in WAL mode, so the journal mode is switched for the rekey and back).
 *
 * The salt is kept: left to itself the engine gives the new key a fresh random salt, written on
 * page 1 at commit, and a crash during the commit would then leave a file whose header salt no
 * longer matches the rollback journal's key (written under the old key), which neither key can
 * open. With the salt unchanged, the old key rolls an interrupted rekey back on the next open.
 * The salt is not secret (it is the file's first 16 bytes); keys stay random and unique.
 */
export function rekeyConnection(db: Db, newKey: Buffer): void {
  assertKeyShape(newKey);
  const salt = db.pragma('cipher_salt', { simple: true });
  if (typeof salt !== 'string' || !/^[0-9a-fA-F]{32}$/.test(salt)) {
    throw new VaultError('REKEY_FAILED', "The chart cache's cipher salt could not be read, so its key was not changed. Report this to IT.");
  }
  const passphrase = rawKeyPassphrase(newKey, salt);
  try {
    db.pragma('journal_mode=DELETE');
    db.rekey(passphrase);
  } finally {
    passphrase.fill(0);
    db.pragma('journal_mode=WAL');
  }
}

/** The pragmas every vault connection runs with (see the header). */
export function applyVaultPragmas(db: Db): void {
  db.pragma('journal_mode=WAL');
  db.pragma(`synchronous=${WAL_SYNCHRONOUS}`);
  db.pragma('temp_store=MEMORY');
  db.pragma('secure_delete=ON');
  db.pragma('foreign_keys=ON');
  db.pragma(`cache_size=-${CACHE_KIB}`);
  db.pragma(`wal_autocheckpoint=${WAL_AUTOCHECKPOINT_PAGES}`);
}

/** SQLite's answer when a page fails to decrypt (wrong key) or the header is not a database. */
export function isNotADatabase(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'SQLITE_NOTADB';
}

/** Corruption detected below the cipher (a bad b-tree) or by it (a page that fails its HMAC). */
export function isCorruption(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_IOERR'));
}

/**
 * Opens `file` (which must exist unless `create`), keys it with `key` and proves the key by reading
 * the schema. Throws WRONG_KEY_OR_CORRUPT when page 1 does not decrypt, CORRUPT when an existing
 * file holds no schema (user_version 0). Never creates a file unless asked, and writes nothing
 * before those checks: an existing vault is never replaced by an empty one.
 */
export function openKeyedConnection(file: string, key: Buffer, options: { create: boolean }): Db {
  const db = new Database(file, { fileMustExist: !options.create });
  try {
    keyConnection(db, key);
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    if (!options.create && db.pragma('user_version', { simple: true }) === 0) {
      // An empty or schema-less file: opening it as a vault would quietly make a new, empty one.
      throw new VaultError(
        'CORRUPT',
        'The chart cache file holds no Wardline schema, so it is not a usable cache. The file was left untouched. Ask IT to wipe it (wardline wipe) and let it sync again.',
      );
    }
    applyVaultPragmas(db);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof VaultError) throw error;
    if (isNotADatabase(error)) {
      throw new VaultError(
        'WRONG_KEY_OR_CORRUPT',
        "The chart cache could not be decrypted: its key does not match or its file is damaged. The file was left untouched. Ask IT to wipe this workstation's cache (wardline wipe) and let it sync again.",
        { cause: error },
      );
    }
    if (isCorruption(error)) {
      throw new VaultError(
        'CORRUPT',
        "The chart cache file is damaged. The file was left untouched. Ask IT to wipe this workstation's cache (wardline wipe) and let it sync again.",
        { cause: error },
      );
    }
    throw error;
  }
}
