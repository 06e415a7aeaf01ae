import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KeyCustodian } from './key-custodian.js';
import { keyNameFor, stagingNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { crashImage, failingCustodian, temporaryDataDir } from './test-helpers.js';
import { createVault, openVault } from './vault.js';
import { vaultExists, vaultFilePath } from './vault-files.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const data = temporaryDataDir('wipe');
  cleanups.push(async () => {
    await wipeVault({ dataDir: data.dir, custodian });
    data.remove();
  });
  return data.dir;
}

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Testperson' }] };

describe('wipeVault', () => {
  it('destroys the key first, then removes the database and its side files', async () => {
    const dir = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    vault.resources.upsert(patient);
    expect(readdirSync(dir).sort()).toEqual(['vault.db', 'vault.db-shm', 'vault.db-wal']);
    vault.close();
    const name = keyNameFor(dir, 'vault');
    await custodian.store(stagingNameFor(name), Buffer.alloc(32, 1));
    await custodian.store(keyNameFor(dir, 'device'), Buffer.alloc(48, 2));

    const filesWhenKeyDestroyed: boolean[] = [];
    const watching: KeyCustodian = {
      store: (n, k) => custodian.store(n, k),
      load: (n) => custodian.load(n),
      destroy: async (n) => {
        filesWhenKeyDestroyed.push(existsSync(vaultFilePath(dir)));
        await custodian.destroy(n);
      },
    };
    await wipeVault({ dataDir: dir, custodian: watching });

    expect(filesWhenKeyDestroyed).toEqual([true, true, true]);
    expect(await custodian.load(name)).toBeNull();
    expect(await custodian.load(stagingNameFor(name))).toBeNull();
    expect(await custodian.load(keyNameFor(dir, 'device'))).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
    expect(vaultExists(dir)).toBe(false);
  });

  it("removes the rollback journal a crash during the sync's initial load leaves beside the vault", async () => {
    const dir = dataDir();
    const crashed = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    vault.beginBulkLoad();
    vault.transaction(() => {
      vault.resources.upsert(patient);
      expect(crashImage(vaultFilePath(dir), crashed)).toEqual(['vault.db', 'vault.db-journal']);
    });
    vault.close();
    await custodian.store(keyNameFor(crashed, 'vault'), (await custodian.load(keyNameFor(dir, 'vault')))!);

    await wipeVault({ dataDir: crashed, custodian });
    expect(readdirSync(crashed)).toEqual([]);
    expect(await custodian.load(keyNameFor(crashed, 'vault'))).toBeNull();
  });

  it('leaves a copy taken before the wipe unreadable, because its key is gone', async () => {
    const dir = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    vault.resources.upsert(patient);
    vault.close();
    const stash = path.join(dataDir(), 'stolen-copy.db');
    copyFileSync(vaultFilePath(dir), stash);

    await wipeVault({ dataDir: dir, custodian });
    copyFileSync(stash, vaultFilePath(dir));
    await expect(openVault({ dataDir: dir, custodian })).rejects.toMatchObject({ code: 'KEY_MISSING' });
  });

  it('succeeds when there is nothing to wipe', async () => {
    await expect(wipeVault({ dataDir: dataDir(), custodian })).resolves.toBeUndefined();
  });

  it('still deletes the files when the keystore refuses, and says the key remains', async () => {
    const dir = dataDir();
    (await createVault({ dataDir: dir, custodian })).close();
    const broken = failingCustodian(custodian, (operation) => operation === 'destroy');
    await expect(wipeVault({ dataDir: dir, custodian: broken })).rejects.toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    expect(readdirSync(dir)).toEqual([]);
    expect(await custodian.load(keyNameFor(dir, 'vault'))).not.toBeNull();
  });
});
