// The vault's bulk-load mode (the sync's initial load): a rollback journal with synchronous=FULL and
// the smaller cache, the vault's other pragmas unchanged, WAL when another connection holds the
// file, and WAL again afterwards.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { generateWard } from '../../shared/synthetic/index.js';
import { enterBulkLoad, leaveBulkLoad } from './bulk-load.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { BULK_LOAD_CACHE_KIB, CACHE_KIB, keyConnection, type Db } from './sqlcipher-connection.js';
import { newEncryptedDatabase, temporaryDataDir } from './test-helpers.js';
import { createVault, openVault, type Vault } from './vault.js';
import { vaultFilePath } from './vault-files.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const data = temporaryDataDir('bulk-load');
  cleanups.push(async () => {
    await wipeVault({ dataDir: data.dir, custodian });
    data.remove();
  });
  return data.dir;
}

function connection(): { db: Db; key: Buffer; file: string } {
  const data = temporaryDataDir('bulk-load-raw');
  const file = path.join(data.dir, 'vault.db');
  const { db, key } = newEncryptedDatabase(file);
  cleanups.push(() => {
    db.close();
    data.remove();
  });
  db.exec('CREATE TABLE t (x TEXT)');
  return { db, key, file };
}

function pragmas(db: Db): Record<string, unknown> {
  const read = (name: string): unknown => db.pragma(name, { simple: true });
  return {
    journal_mode: read('journal_mode'),
    synchronous: read('synchronous'),
    cache_size: read('cache_size'),
    secure_delete: read('secure_delete'),
    temp_store: read('temp_store'),
    foreign_keys: read('foreign_keys'),
  };
}

const FULL = 2;
const NORMAL = 1;
const MEMORY = 2;

/** Which journal a write transaction of `vault` uses, seen from the files beside the vault. */
function journalOfAWrite(vault: Vault, dir: string, id: string): { rollbackJournal: boolean; walGrew: boolean } {
  const file = vaultFilePath(dir);
  const walSize = (): number => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  const walBefore = walSize();
  let rollbackJournal = false;
  vault.transaction(() => {
    vault.resources.upsert({ resourceType: 'Patient', id, name: [{ family: 'Testperson' }] });
    rollbackJournal = existsSync(`${file}-journal`);
  });
  return { rollbackJournal, walGrew: walSize() > walBefore };
}

describe('bulk-load pragmas', () => {
  it('switch to a rollback journal (DELETE) with synchronous=FULL and the bulk cache, and back to WAL, other pragmas unchanged', () => {
    const { db } = connection();
    const usual = pragmas(db);
    expect(usual).toEqual({
      journal_mode: 'wal',
      synchronous: NORMAL,
      cache_size: -CACHE_KIB,
      secure_delete: 1,
      temp_store: MEMORY,
      foreign_keys: 1,
    });
    expect(enterBulkLoad(db, { journal: true })).toBeNull();
    expect(pragmas(db)).toEqual({ ...usual, journal_mode: 'delete', synchronous: FULL, cache_size: -BULK_LOAD_CACHE_KIB });
    expect(leaveBulkLoad(db)).toBe(true);
    expect(pragmas(db)).toEqual(usual);
  });

  it('stay in WAL, without waiting or throwing, while another connection has the file open', () => {
    const { db, key, file } = connection();
    const other = new Database(file, { readonly: true });
    try {
      keyConnection(other, key);
      other.prepare('SELECT count(*) FROM t').pluck().get();
      const started = performance.now();
      expect(enterBulkLoad(db, { journal: true })).toBe('other-connection');
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(pragmas(db)).toMatchObject({ journal_mode: 'wal', synchronous: NORMAL, cache_size: -BULK_LOAD_CACHE_KIB });
      db.prepare('INSERT INTO t VALUES (?)').run('still writable');
      expect(leaveBulkLoad(db)).toBe(true);
      expect(pragmas(db)).toMatchObject({ journal_mode: 'wal', synchronous: NORMAL, cache_size: -CACHE_KIB });
    } finally {
      other.close();
    }
  });
});

describe('Vault bulk load', () => {
  it('writes with a rollback journal while on, and in WAL again once ended', async () => {
    const dir = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    cleanups.push(() => vault.close());
    expect(journalOfAWrite(vault, dir, 'p0')).toEqual({ rollbackJournal: false, walGrew: true });
    vault.beginBulkLoad();
    expect(journalOfAWrite(vault, dir, 'p1')).toEqual({ rollbackJournal: true, walGrew: false });
    expect(existsSync(`${vaultFilePath(dir)}-journal`)).toBe(false);
    // A durable write meanwhile (local documentation) leaves the load in its rollback journal.
    vault.transaction(() => vault.resources.upsert({ resourceType: 'Patient', id: 'p2' }), { durable: true });
    expect(journalOfAWrite(vault, dir, 'p3')).toEqual({ rollbackJournal: true, walGrew: false });
    vault.endBulkLoad();
    vault.endBulkLoad();
    expect(journalOfAWrite(vault, dir, 'p4')).toEqual({ rollbackJournal: false, walGrew: true });
    expect(vault.resources.count('Patient')).toBe(5);
  });

  it('stays in WAL while the integrity check of the open still reads the file, and the load completes', async () => {
    const dir = dataDir();
    const created = await createVault({ dataDir: dir, custodian });
    created.resources.upsertMany(generateWard({ seed: 'bulk-load-integrity', patients: 8, days: 10 }).resources);
    const count = created.resources.count();
    created.close();
    const vault = await openVault({ dataDir: dir, custodian, integrityCheck: 'background' });
    cleanups.push(() => vault.close());
    let checked = false;
    void vault.integrity.then(() => (checked = true));
    vault.beginBulkLoad();
    const write = journalOfAWrite(vault, dir, 'p-new');
    expect(checked).toBe(false);
    expect(write).toEqual({ rollbackJournal: false, walGrew: true });
    vault.endBulkLoad();
    await vault.integrity;
    expect(vault.resources.count()).toBe(count + 1);
  });

  it('goes on correctly when another connection opens the vault during the load (and returns it to WAL)', async () => {
    const dir = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    cleanups.push(() => vault.close());
    vault.beginBulkLoad();
    expect(journalOfAWrite(vault, dir, 'p1')).toEqual({ rollbackJournal: true, walGrew: false });
    // Another process's command opening the same vault between two load transactions.
    const other = await openVault({ dataDir: dir, custodian });
    cleanups.push(() => other.close());
    expect(other.resources.count('Patient')).toBe(1);
    expect(journalOfAWrite(vault, dir, 'p2').rollbackJournal).toBe(false);
    vault.endBulkLoad();
    other.close();
    expect(journalOfAWrite(vault, dir, 'p3')).toEqual({ rollbackJournal: false, walGrew: true });
    expect(vault.resources.count('Patient')).toBe(3);
  });

  it('does nothing when ended on a closed vault', async () => {
    const dir = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    vault.beginBulkLoad();
    vault.close();
    expect(() => vault.endBulkLoad()).not.toThrow();
    const reopened = await openVault({ dataDir: dir, custodian });
    cleanups.push(() => reopened.close());
    expect(journalOfAWrite(reopened, dir, 'p1')).toEqual({ rollbackJournal: false, walGrew: true });
  });
});
