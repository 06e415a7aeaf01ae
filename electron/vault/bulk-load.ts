// Bulk-load mode: the pragmas the sync's initial load writes with, and the way back to the usual ones.
//
// The page cache: the smaller BULK_LOAD_CACHE_KIB (a bulk load reads little of what it writes back,
// while the process holds the hub's pages beside it).
//
// The journal: a rollback journal instead of WAL. SQLite3MultipleCiphers encrypts at the VFS layer,
// so in WAL mode every page is encrypted into the WAL and then, at each checkpoint, read back,
// decrypted, re-encrypted and written into the database: twice the cipher work for a load that
// writes ~100,000 resources into an empty vault. With a rollback journal a changed page is written
// into the database once; the journal holds the pages as they were before the transaction (few, in a
// vault being filled), encrypted under the vault key like every page (electron/vault/at-rest.test.ts
// proves the journal holds no patient data in clear). Measured by turns on the demo ward (~101,000
// resources prepared from their bytes, 5,000 a transaction, the bulk cache; docs/ARCHITECTURE.md,
// "Session 12"): WAL 31-37 µs of CPU per resource, DELETE 23-30, TRUNCATE 25-31, PERSIST 24-32.
// The three rollback modes cost the same within the noise; DELETE is kept because it leaves no
// journal file between transactions (TRUNCATE and PERSIST keep one, PERSIST with old pages in it)
// and is SQLite's default, the mode a rekey already uses.
//
// Durability: synchronous=FULL while the journal is in force. In DELETE mode, NORMAL skips the sync
// of the journal's content before its header (the record count) is written, so a power cut at the
// wrong moment can leave a header counting records the disk never got; their checksums sample a
// few bytes of each page only, and SQLite documents a small chance of a corrupt database there.
// FULL syncs the journal, then its header, then the database: a power cut or a crash leaves the
// last committed transaction, or a journal that rolls the interrupted one back. (A crash of the
// process alone loses nothing in either mode: the operating system still writes what it was given.) The load commits only ~20 times (5,000 resources a transaction), so FULL's
// extra syncs cost nothing measurable (DELETE with NORMAL: 24-31 µs per resource, with FULL 23-30).
//
// Leaving WAL needs the file to be open on no other connection (SQLite refuses with SQLITE_BUSY, at
// once: no wait): the integrity check's worker, or another process. Then the load goes on in WAL,
// correct and only slower; the caller logs it at debug. A process that opens the vault during the
// load (a `wardline` command beside `wardline sync`) puts the file back in WAL with its own open's
// pragmas, between two load transactions; this connection follows it (bulk-load.test.ts).
//
// Crash: a process killed mid-load leaves the database in rollback-journal mode, perhaps with a hot
// journal (`vault.db-journal`). The next open's first read (openKeyedConnection reads the schema)
// rolls that journal back under the vault key, before applyVaultPragmas puts the file back in WAL
// mode (tests/sync/sync-crash-initial-load.test.ts).
import { BULK_LOAD_CACHE_KIB, CACHE_KIB, WAL_SYNCHRONOUS, type Db } from './sqlcipher-connection.js';

/** The rollback journal's mode during a bulk load (see the header). */
export const BULK_LOAD_JOURNAL_MODE = 'delete';
/** synchronous while the rollback journal is in force (see the header). */
export const BULK_LOAD_SYNCHRONOUS = 'FULL';

/** Why a bulk load stays in WAL mode, or null when the rollback journal is in force. */
export type StaysInWal = 'not-asked' | 'other-connection' | 'in-transaction' | 'not-switched' | null;

function isBusy(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * Switches `db` to the bulk-load cache and, with `journal` and when it can, to the rollback journal
 * with BULK_LOAD_SYNCHRONOUS. Returns null when the journal is in force, or why the load stays in
 * WAL. Never throws because another connection holds the file.
 */
export function enterBulkLoad(db: Db, options: { journal: boolean }): StaysInWal {
  db.pragma(`cache_size=-${BULK_LOAD_CACHE_KIB}`);
  if (!options.journal) return 'not-asked';
  if (db.inTransaction) return 'in-transaction';
  let mode: unknown;
  try {
    mode = db.pragma(`journal_mode=${BULK_LOAD_JOURNAL_MODE}`, { simple: true });
  } catch (error) {
    if (isBusy(error)) return 'other-connection';
    throw error;
  }
  // The pragma answers with the mode in force: still 'wal' when the switch did not happen.
  if (mode !== BULK_LOAD_JOURNAL_MODE) return 'not-switched';
  db.pragma(`synchronous=${BULK_LOAD_SYNCHRONOUS}`);
  return null;
}

/**
 * Puts `db` back in WAL mode with the usual cache and synchronous. Returns false when WAL could not
 * be restored (another connection reading in rollback mode held the file past the busy timeout): the
 * connection then stays in rollback-journal mode with synchronous=FULL, consistent across a crash,
 * until the next open puts the file back in WAL.
 */
export function leaveBulkLoad(db: Db): boolean {
  db.pragma(`cache_size=-${CACHE_KIB}`);
  let mode: unknown;
  try {
    mode = db.pragma('journal_mode=WAL', { simple: true });
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
  if (mode !== 'wal') return false;
  db.pragma(`synchronous=${WAL_SYNCHRONOUS}`);
  return true;
}
