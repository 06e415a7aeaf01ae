// Which command a rollback journal left beside the hub database belongs to. The hub writes its file in
// WAL mode, so `hub.sqlite-journal` is only ever left by a re-encryption in place killed part-way:
// `rotate-keys` (or an earlier hub's) or `encrypt-database`. The journal holds the pages as they were
// before that command, so its copy of page 1 tells them apart: encrypt-database's starts with the
// plain SQLite header, a rekey's is encrypted under the key from before the rotation. Used only to say
// what to do when no key opens the file; nothing is decided from it.
import { closeSync, openSync, readSync } from 'node:fs';
import { startsWithPlainSqliteHeader } from './sqlite-cipher.js';

export type InterruptedCommand = 'encrypt-database' | 'rotate-keys';

/**
 * SQLite's rollback journal header: magic, record count, nonce, initial size, sector size, page size.
 * The magic is written as zeros until the journal is first synced (before any page of the file is
 * changed), so a command killed before that leaves a journal with no magic: still its journal.
 */
const JOURNAL_MAGIC = Buffer.from('d9d505f920a163d7', 'hex');
const UNSYNCED_MAGIC = Buffer.alloc(JOURNAL_MAGIC.length);
const HEADER_BYTES = 28;
const PLAIN_HEADER_BYTES = 16;

function readAt(fd: number, length: number, position: number): Buffer | null {
  const bytes = Buffer.alloc(length);
  return readSync(fd, bytes, 0, length, position) === length ? bytes : null;
}

/**
 * The command whose journal is beside `file` (`<file>-journal`), or null when there is none or it
 * cannot be read as one (no copy of page 1 in it).
 */
export function interruptedCommandOf(file: string): InterruptedCommand | null {
  let fd: number;
  try {
    fd = openSync(`${file}-journal`, 'r');
  } catch {
    return null;
  }
  try {
    const header = readAt(fd, HEADER_BYTES, 0);
    const magic = header?.subarray(0, JOURNAL_MAGIC.length);
    if (header === null || !(magic!.equals(JOURNAL_MAGIC) || magic!.equals(UNSYNCED_MAGIC))) return null;
    const sectorSize = header.readUInt32BE(20);
    const pageSize = header.readUInt32BE(24);
    if (sectorSize < HEADER_BYTES || pageSize < 512 || pageSize > 65_536) return null;
    // Each record: the page number (4 bytes), the page as it was, a checksum (4 bytes).
    for (let at = sectorSize; ; at += pageSize + 8) {
      const pageNumber = readAt(fd, 4, at);
      if (pageNumber === null) return null;
      if (pageNumber.readUInt32BE(0) !== 1) continue;
      const start = readAt(fd, PLAIN_HEADER_BYTES, at + 4);
      if (start === null) return null;
      return startsWithPlainSqliteHeader(start) ? 'encrypt-database' : 'rotate-keys';
    }
  } finally {
    closeSync(fd);
  }
}

/** What to do about the journal beside `file` when no key given opens the file. */
export function interruptedCommandHint(file: string, journalName: string): string {
  switch (interruptedCommandOf(file)) {
    case 'encrypt-database':
      return `wardline-hub encrypt-database was interrupted on this file: run it again (it finishes the job); never remove ${journalName}.`;
    case 'rotate-keys':
      return (
        `wardline-hub rotate-keys was interrupted on this file: only the hub key from before that rotation opens it (and rolls the rotation back). ` +
        `Give the same key options rotate-keys was run with (that key is still the hub key there), then run rotate-keys again to finish it; never remove ${journalName}.`
      );
    default:
      return `If wardline-hub rotate-keys or encrypt-database was interrupted on this file, run it again with the key options it was run with; never remove ${journalName}.`;
  }
}
