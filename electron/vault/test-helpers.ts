// Helpers for the vault's own tests: throwaway data directories and raw encrypted connections.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KeyCustodian } from './key-custodian.js';
import { openKeyedConnection, type Db } from './sqlcipher-connection.js';
import { VaultError } from './vault-error.js';
import { withSideFiles } from './vault-files.js';

/** A new empty directory under the OS temp dir, and a function removing it. */
export function temporaryDataDir(label = 'vault'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `wardline-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new encrypted database at `file` with a random key (returned, for the test to reuse). */
export function newEncryptedDatabase(file: string): { db: Db; key: Buffer } {
  const key = randomBytes(32);
  return { db: openKeyedConnection(file, key, { create: true }), key };
}

/**
 * Every regular file under `place` (itself when it is a file), recursively. What vanishes
 * meanwhile is passed over: a scan of the shared temp folder meets other test
 * processes' folders while they are being deleted.
 */
export function filesUnder(place: string): string[] {
  const link = lstatSync(place, { throwIfNoEntry: false });
  if (link === undefined) return [];
  // A link counts as the file it points to; links to folders are not followed (no loops).
  if (link.isSymbolicLink()) return statSync(place, { throwIfNoEntry: false })?.isFile() === true ? [place] : [];
  if (link.isFile()) return [place];
  if (!link.isDirectory()) return [];
  let entries: string[];
  try {
    entries = readdirSync(place, { encoding: 'utf8' });
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return [];
    throw error;
  }
  return entries.flatMap((entry) => filesUnder(path.join(place, entry)));
}

/** The real custodian, with chosen calls made to fail as a broken keystore would. */
export function failingCustodian(
  real: KeyCustodian,
  fails: (operation: 'store' | 'load' | 'destroy', name: string) => boolean,
): KeyCustodian {
  const refuse = (): never => {
    throw new VaultError('KEYSTORE_UNAVAILABLE', 'The OS keystore refused the request (injected fault).');
  };
  return {
    store: async (name, key) => (fails('store', name) ? refuse() : real.store(name, key)),
    load: async (name) => (fails('load', name) ? refuse() : real.load(name)),
    destroy: async (name) => (fails('destroy', name) ? refuse() : real.destroy(name)),
  };
}

/** The files under `dir` (recursively) whose bytes contain any of `needles`, with the needle's index. */
export function filesContaining(dir: string, needles: readonly Buffer[]): Array<{ file: string; needle: number }> {
  const hits: Array<{ file: string; needle: number }> = [];
  for (const file of filesUnder(dir)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    needles.forEach((needle, index) => {
      if (bytes.includes(needle)) hits.push({ file, needle: index });
    });
  }
  return hits;
}

/** `text` as it could sit on disk: UTF-8 and UTF-16LE. */
export function encodingsOf(text: string): Buffer[] {
  return [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le')];
}

/**
 * What a crash (kill -9) leaves on disk at this moment: `file` and its side files that exist, copied
 * byte for byte into `toDir` under the same names. Called inside a write transaction it is a process
 * killed mid-transaction: in rollback-journal mode, a hot `-journal` beside the file. Returns the
 * names copied.
 */
export function crashImage(file: string, toDir: string): string[] {
  const copied: string[] = [];
  for (const from of withSideFiles(file)) {
    if (!existsSync(from)) continue;
    copyFileSync(from, path.join(toDir, path.basename(from)));
    copied.push(path.basename(from));
  }
  return copied.sort();
}

/** SQLite's rollback journal magic: written once the journal is synced, before the file is changed. */
const JOURNAL_MAGIC = Buffer.from('d9d505f920a163d7', 'hex');

/**
 * Whether `journal` is a hot rollback journal: its header carries the magic, so the pages it holds
 * must be written back (a journal without it was never synced, and the file was not changed).
 */
export function isHotJournal(journal: string): boolean {
  if (!existsSync(journal)) return false;
  return readFileSync(journal).subarray(0, JOURNAL_MAGIC.length).equals(JOURNAL_MAGIC);
}
