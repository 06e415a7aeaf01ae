// Where a vault lives on disk: `<dataDir>/vault.db` and SQLite's side files. File names carry no
// patient data.
import { closeSync, existsSync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';

export const VAULT_FILE_NAME = 'vault.db';
/**
 * SQLite's side files: WAL, shared memory, and the rollback journal of a rekey or of the sync's
 * initial load (bulk-load.ts).
 */
const SIDE_SUFFIXES = ['-wal', '-shm', '-journal'] as const;
/** A vault being created is written here and renamed into place once its schema is complete. */
const PARTIAL_SUFFIX = '.partial';

export function vaultFilePath(dataDir: string): string {
  return path.join(path.resolve(dataDir), VAULT_FILE_NAME);
}

export function partialVaultFilePath(dataDir: string): string {
  return `${vaultFilePath(dataDir)}${PARTIAL_SUFFIX}`;
}

/** Whether a (complete) vault exists in `dataDir`. */
export function vaultExists(dataDir: string): boolean {
  return existsSync(vaultFilePath(dataDir));
}

/** `file` and SQLite's side files beside it (existing or not). */
export function withSideFiles(file: string): string[] {
  return [file, ...SIDE_SUFFIXES.map((suffix) => `${file}${suffix}`)];
}

/** Every file a vault in `dataDir` may consist of, complete or partial, existing or not. */
export function vaultFilePaths(dataDir: string): string[] {
  return [vaultFilePath(dataDir), partialVaultFilePath(dataDir)].flatMap(withSideFiles);
}

/** Flushes a directory entry change (create, rename, unlink) to disk. */
export function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a directory for fsync; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
