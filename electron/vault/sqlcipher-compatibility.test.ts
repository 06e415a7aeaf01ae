// The vault file is plain SQLCipher 4: another SQLCipher 4 implementation (Zetetic's, through
// @journeyapps/sqlcipher) reads it given the key, and nothing reads it without.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type * as Zetetic from '@journeyapps/sqlcipher';
import { afterEach, describe, expect, it } from 'vitest';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { temporaryDataDir } from './test-helpers.js';
import { createVault, openVault } from './vault.js';
import { vaultFilePath } from './vault-files.js';
import { wipeVault } from './wipe.js';

const require = createRequire(import.meta.url);
const zetetic = require('@journeyapps/sqlcipher') as typeof Zetetic;
const custodian = new KeytarCustodian();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs `sql` in Zetetic SQLCipher 4 (compatibility 4) with the raw key `keyHex`. */
function readWithZetetic(file: string, keyHex: string, sql: string): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const db = new zetetic.Database(file, zetetic.OPEN_READONLY);
    db.serialize(() => {
      db.run('PRAGMA cipher_compatibility = 4');
      db.run(`PRAGMA key = "x'${keyHex}'"`);
      db.all(sql, (error, rows) => {
        db.close();
        if (error) reject(error);
        else resolve(rows);
      });
    });
  });
}

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Compatibility', given: ['Zed'] }], birthDate: '1961-02-03' };

async function closedVault(): Promise<{ dir: string; keyHex: () => Promise<string> }> {
  const data = temporaryDataDir('compat');
  cleanups.push(async () => {
    await wipeVault({ dataDir: data.dir, custodian });
    data.remove();
  });
  const vault = await createVault({ dataDir: data.dir, custodian });
  vault.resources.upsertMany([patient, { resourceType: 'Patient', id: 'p2' }]);
  vault.close();
  return { dir: data.dir, keyHex: async () => (await custodian.load(keyNameFor(data.dir, 'vault')))!.toString('hex') };
}

describe('the vault file on disk', () => {
  it('opens in Zetetic SQLCipher 4 with the key, with the charts in it', async () => {
    const { dir, keyHex } = await closedVault();
    const rows = await readWithZetetic(
      vaultFilePath(dir),
      await keyHex(),
      "SELECT id, json FROM resources WHERE type = 'Patient' ORDER BY id",
    );
    expect(rows).toHaveLength(2);
    expect(JSON.parse((rows[0] as { json: string }).json)).toEqual(patient);
  });

  it('still opens in Zetetic SQLCipher 4 after a rekey, with the new key only', async () => {
    const { dir, keyHex } = await closedVault();
    const oldKey = await keyHex();
    const vault = await openVault({ dataDir: dir, custodian });
    await vault.rekey();
    vault.close();
    const newKey = await keyHex();
    expect(await readWithZetetic(vaultFilePath(dir), newKey, 'SELECT count(*) AS n FROM resources')).toEqual([{ n: 2 }]);
    await expect(readWithZetetic(vaultFilePath(dir), oldKey, 'SELECT count(*) FROM resources')).rejects.toThrow(/not a database/);
  });

  it('does not open in Zetetic SQLCipher 4 with another key', async () => {
    const { dir } = await closedVault();
    await expect(readWithZetetic(vaultFilePath(dir), randomBytes(32).toString('hex'), 'SELECT count(*) FROM resources')).rejects.toThrow(
      /not a database/,
    );
  });

  it('does not open as plain SQLite', async () => {
    const { dir } = await closedVault();
    const { default: PlainSqlite } = await import('better-sqlite3');
    const plain = new PlainSqlite(vaultFilePath(dir), { readonly: true, fileMustExist: true });
    try {
      expect(() => plain.prepare('SELECT count(*) FROM resources').get()).toThrow('file is not a database');
    } finally {
      plain.close();
    }
  });
});
