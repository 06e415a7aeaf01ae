// Telling an interrupted encrypt-database from an interrupted rotate-keys by the journal left beside
// the hub database, in the forms SQLite leaves it (synced, or killed before its first sync, when the
// magic is still zeros), and saying nothing definite about a journal that cannot be read as one. The
// journals real commands leave when killed are checked in hub-cipher.test.ts and tests/hub/at-rest.test.ts.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { interruptedCommandHint, interruptedCommandOf } from './leftover-journal.js';

const PAGE = 4096;
const SECTOR = 512;

/** A rollback journal as SQLite writes it: a header sector, then (page number, page, checksum) records. */
function journal(records: readonly { page: number; bytes: Buffer }[], options: { synced: boolean }): Buffer {
  const header = Buffer.alloc(SECTOR);
  if (options.synced) Buffer.from('d9d505f920a163d7', 'hex').copy(header, 0);
  header.writeUInt32BE(records.length, 8);
  header.writeUInt32BE(SECTOR, 20);
  header.writeUInt32BE(PAGE, 24);
  return Buffer.concat([
    header,
    ...records.flatMap(({ page, bytes }) => {
      const number = Buffer.alloc(4);
      number.writeUInt32BE(page);
      return [number, bytes, Buffer.alloc(4)];
    }),
  ]);
}

const plainPage1 = (): Buffer => Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), randomBytes(PAGE - 16)]);

describe('the journal an interrupted command left', () => {
  let folder: string;
  let file: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-journal-'));
    file = join(folder, 'hub.sqlite');
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each([true, false])('tells encrypt-database (plain page 1) from rotate-keys (encrypted page 1), synced: %s', (synced) => {
    writeFileSync(
      `${file}-journal`,
      journal(
        [
          { page: 1, bytes: plainPage1() },
          { page: 2, bytes: randomBytes(PAGE) },
        ],
        { synced },
      ),
    );
    expect(interruptedCommandOf(file)).toBe('encrypt-database');
    expect(interruptedCommandHint(file, 'hub.sqlite-journal')).toMatch(
      /^wardline-hub encrypt-database was interrupted on this file: run it again/,
    );
    // Page 1 need not come first.
    writeFileSync(
      `${file}-journal`,
      journal(
        [
          { page: 3, bytes: randomBytes(PAGE) },
          { page: 1, bytes: randomBytes(PAGE) },
        ],
        { synced },
      ),
    );
    expect(interruptedCommandOf(file)).toBe('rotate-keys');
    const hint = interruptedCommandHint(file, 'hub.sqlite-journal');
    expect(hint).toMatch(/rotate-keys was interrupted on this file: only the hub key from before that rotation opens it/);
    expect(hint).not.toContain('encrypt-database');
  });

  it('says nothing definite without a journal, or with one that holds no page 1 or is not a journal', () => {
    expect(interruptedCommandOf(file)).toBeNull();
    writeFileSync(`${file}-journal`, journal([{ page: 2, bytes: randomBytes(PAGE) }], { synced: true }));
    expect(interruptedCommandOf(file)).toBeNull();
    writeFileSync(`${file}-journal`, randomBytes(3 * PAGE));
    expect(interruptedCommandOf(file)).toBeNull();
    writeFileSync(`${file}-journal`, Buffer.alloc(0));
    expect(interruptedCommandOf(file)).toBeNull();
    expect(interruptedCommandHint(file, 'hub.sqlite-journal')).toMatch(/If wardline-hub rotate-keys or encrypt-database was interrupted/);
  });
});
