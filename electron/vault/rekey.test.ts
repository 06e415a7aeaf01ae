import { afterEach, describe, expect, it } from 'vitest';
import { keyNameFor, stagingNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { openKeyedConnection, rekeyConnection } from './sqlcipher-connection.js';
import { failingCustodian, temporaryDataDir } from './test-helpers.js';
import { createVault, openVault } from './vault.js';
import { vaultFilePath } from './vault-files.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Testperson', given: ['Alex'] }] };

/** A closed vault holding one patient; its data dir, key name and current key. */
async function closedVault() {
  const data = temporaryDataDir('rekey');
  cleanups.push(async () => {
    await wipeVault({ dataDir: data.dir, custodian });
    data.remove();
  });
  const vault = await createVault({ dataDir: data.dir, custodian });
  vault.resources.upsert(patient);
  vault.close();
  const name = keyNameFor(data.dir, 'vault');
  return { dir: data.dir, name, key: (await custodian.load(name))! };
}

function opensWith(dir: string, key: Buffer): boolean {
  try {
    openKeyedConnection(vaultFilePath(dir), key, { create: false }).close();
    return true;
  } catch {
    return false;
  }
}

async function patientCount(dir: string): Promise<number> {
  const vault = await openVault({ dataDir: dir, custodian });
  try {
    return vault.resources.count('Patient');
  } finally {
    vault.close();
  }
}

describe('rekey', () => {
  it('re-encrypts under a new key: the old key no longer opens the file, the new one does', async () => {
    const { dir, name, key: oldKey } = await closedVault();
    const vault = await openVault({ dataDir: dir, custodian });
    await vault.rekey();
    expect(vault.resources.read('Patient', 'p1')).toEqual(patient);
    vault.close();

    const newKey = (await custodian.load(name))!;
    expect(newKey.equals(oldKey)).toBe(false);
    expect(await custodian.load(stagingNameFor(name))).toBeNull();
    expect(opensWith(dir, oldKey)).toBe(false);
    expect(opensWith(dir, newKey)).toBe(true);
    expect(await patientCount(dir)).toBe(1);
  });

  it('keeps the old key and a working vault when the keystore refuses the new key', async () => {
    const { dir, name, key: oldKey } = await closedVault();
    const broken = failingCustodian(custodian, (operation, keyName) => operation === 'store' && keyName === stagingNameFor(name));
    const vault = await openVault({ dataDir: dir, custodian: broken });
    await expect(vault.rekey()).rejects.toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    expect(vault.resources.count()).toBe(1);
    vault.close();
    expect((await custodian.load(name))!.equals(oldKey)).toBe(true);
    expect(opensWith(dir, oldKey)).toBe(true);
  });

  it('finishes the change at the next open when the keystore failed after the file was re-encrypted', async () => {
    const { dir, name, key: oldKey } = await closedVault();
    const broken = failingCustodian(custodian, (operation, keyName) => operation === 'store' && keyName === name);
    const vault = await openVault({ dataDir: dir, custodian: broken });
    await expect(vault.rekey()).rejects.toMatchObject({ code: 'REKEY_FAILED' });
    expect(vault.resources.count()).toBe(1);
    vault.close();
    expect(opensWith(dir, oldKey)).toBe(false);

    expect(await patientCount(dir)).toBe(1);
    const promoted = (await custodian.load(name))!;
    expect(promoted.equals(oldKey)).toBe(false);
    expect(opensWith(dir, promoted)).toBe(true);
    expect(await custodian.load(stagingNameFor(name))).toBeNull();
  });

  describe('after a crash at each step, the keystore still holds a key that opens the file', () => {
    it('after step 1 (new key staged, file not yet re-encrypted)', async () => {
      const { dir, name, key: oldKey } = await closedVault();
      await custodian.store(stagingNameFor(name), Buffer.alloc(32, 7));
      expect(await patientCount(dir)).toBe(1);
      expect((await custodian.load(name))!.equals(oldKey)).toBe(true);
    });

    it('after step 2 (file re-encrypted, new key only staged)', async () => {
      const { dir, name, key: oldKey } = await closedVault();
      const newKey = Buffer.alloc(32, 9);
      await custodian.store(stagingNameFor(name), newKey);
      const db = openKeyedConnection(vaultFilePath(dir), oldKey, { create: false });
      rekeyConnection(db, newKey);
      db.close();

      expect(await patientCount(dir)).toBe(1);
      expect((await custodian.load(name))!.equals(newKey)).toBe(true);
      expect(await custodian.load(stagingNameFor(name))).toBeNull();
    });

    it('after step 3 (new key promoted, staging entry not yet removed)', async () => {
      const { dir, name, key: oldKey } = await closedVault();
      const newKey = Buffer.alloc(32, 11);
      await custodian.store(stagingNameFor(name), newKey);
      const db = openKeyedConnection(vaultFilePath(dir), oldKey, { create: false });
      rekeyConnection(db, newKey);
      db.close();
      await custodian.store(name, newKey);

      expect(await patientCount(dir)).toBe(1);
      expect((await custodian.load(name))!.equals(newKey)).toBe(true);
    });
  });
});
