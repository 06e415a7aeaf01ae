import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encryptedDatabaseExists, openEncryptedDatabase } from './encrypted-database.js';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import type { Migration } from './migrations/migration.js';
import { temporaryDataDir } from './test-helpers.js';
import { createVault } from './vault.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
const notes: Migration[] = [
  { version: 1, name: 'notes', up: (db) => db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)') },
];
let dataDir: { dir: string; remove: () => void };

afterEach(async () => {
  await custodian.destroy(keyNameFor(dataDir.dir, 'audit'));
  await wipeVault({ dataDir: dataDir.dir, custodian });
  dataDir.remove();
});

describe('an encrypted database of another purpose', () => {
  it("is created with its own key and schema beside the vault, without touching the vault's file or key", async () => {
    dataDir = temporaryDataDir('other-db');
    (await createVault({ dataDir: dataDir.dir, custodian })).close();
    const vaultKey = await custodian.load(keyNameFor(dataDir.dir, 'vault'));
    const { db, created } = await openEncryptedDatabase({
      dataDir: dataDir.dir,
      fileName: 'audit.db',
      purpose: 'audit',
      custodian,
      migrations: notes,
      create: true,
      synchronous: 'FULL',
    });
    try {
      expect(created).toBe(true);
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(db.pragma('synchronous', { simple: true })).toBe(2);
      expect(db.pragma('cipher', { simple: true })).toBe('sqlcipher');
      db.prepare('INSERT INTO notes (text) VALUES (?)').run('kept');
    } finally {
      db.close();
    }
    expect(await custodian.load(keyNameFor(dataDir.dir, 'audit'))).toHaveLength(32);
    expect(await custodian.load(keyNameFor(dataDir.dir, 'vault'))).toEqual(vaultKey);
    expect(readdirSync(dataDir.dir).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const again = await openEncryptedDatabase({
      dataDir: dataDir.dir,
      fileName: 'audit.db',
      purpose: 'audit',
      custodian,
      migrations: notes,
      create: true,
    });
    try {
      expect(again.created).toBe(false);
      expect(again.db.prepare('SELECT text FROM notes').pluck().all()).toEqual(['kept']);
    } finally {
      again.db.close();
    }
  });

  it("is not created when only opening is asked, and cannot take the chart cache's file", async () => {
    dataDir = temporaryDataDir('other-db');
    await expect(
      openEncryptedDatabase({ dataDir: dataDir.dir, fileName: 'audit.db', purpose: 'audit', custodian, migrations: notes, create: false }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(encryptedDatabaseExists(dataDir.dir, 'audit.db')).toBe(false);
    await expect(
      openEncryptedDatabase({ dataDir: dataDir.dir, fileName: 'vault.db', purpose: 'audit', custodian, migrations: notes, create: true }),
    ).rejects.toThrow(TypeError);
    await expect(
      openEncryptedDatabase({
        dataDir: dataDir.dir,
        fileName: '../elsewhere.db',
        purpose: 'audit',
        custodian,
        migrations: notes,
        create: true,
      }),
    ).rejects.toThrow(TypeError);
  });

  it('refuses to open when its key is gone from the keystore, leaving the file untouched', async () => {
    dataDir = temporaryDataDir('other-db');
    (
      await openEncryptedDatabase({
        dataDir: dataDir.dir,
        fileName: 'audit.db',
        purpose: 'audit',
        custodian,
        migrations: notes,
        create: true,
      })
    ).db.close();
    await custodian.destroy(keyNameFor(dataDir.dir, 'audit'));
    await expect(
      openEncryptedDatabase({ dataDir: dataDir.dir, fileName: 'audit.db', purpose: 'audit', custodian, migrations: notes, create: true }),
    ).rejects.toMatchObject({ code: 'KEY_MISSING' });
    expect(existsSync(path.join(dataDir.dir, 'audit.db'))).toBe(true);
  });
});
