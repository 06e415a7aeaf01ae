import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { LATEST_SCHEMA_VERSION } from './migrations/index.js';
import { temporaryDataDir } from './test-helpers.js';
import { createVault, openVault, type Vault } from './vault.js';
import { vaultFilePath } from './vault-files.js';
import { VaultError } from './vault-error.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(): string {
  const data = temporaryDataDir();
  cleanups.push(async () => {
    await wipeVault({ dataDir: data.dir, custodian });
    data.remove();
  });
  return data.dir;
}

function track(vault: Vault): Vault {
  cleanups.push(() => vault.close());
  return vault;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function patient(id: string) {
  return { resourceType: 'Patient', id, name: [{ family: 'Testperson', given: ['Alex'] }], gender: 'other', birthDate: '1970-01-01' };
}

function heartRate(id: string, patientId: string, when: string, value: number) {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: `Patient/${patientId}` },
    effectiveDateTime: when,
    valueQuantity: { value, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

/** A closed vault holding `count` observations, and its key. */
async function filledVault(count: number): Promise<{ dir: string; key: Buffer }> {
  const dir = dataDir();
  const vault = await createVault({ dataDir: dir, custodian });
  vault.resources.upsertMany([
    patient('p1'),
    ...Array.from({ length: count }, (_, i) =>
      heartRate(`hr-${i}`, 'p1', new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(), 60 + (i % 40)),
    ),
  ]);
  vault.close();
  const key = await custodian.load(keyNameFor(dir, 'vault'));
  return { dir, key: key! };
}

/** A copy of the vault in `from` placed in a new data dir whose keystore entry holds `key`. */
async function copyWithKey(from: string, key: Buffer): Promise<string> {
  const dir = dataDir();
  copyFileSync(vaultFilePath(from), vaultFilePath(dir));
  await custodian.store(keyNameFor(dir, 'vault'), key);
  return dir;
}

async function openError(dir: string): Promise<VaultError> {
  try {
    track(await openVault({ dataDir: dir, custodian }));
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('the vault opened');
}

describe('creating and opening the vault', () => {
  it('creates an encrypted SQLCipher vault and reports its status from the database', async () => {
    const dir = dataDir();
    const vault = track(await createVault({ dataDir: dir, custodian, ward: 'ward-4b' }));
    expect(vault.status()).toEqual({
      encrypted: true,
      cipher: 'sqlcipher',
      schemaVersion: LATEST_SCHEMA_VERSION,
      patients: 0,
      resources: 0,
      ward: 'ward-4b',
    });
    vault.resources.upsertMany([patient('p1'), patient('p2'), heartRate('o1', 'p1', '2024-01-01T08:00:00Z', 72)]);
    expect(vault.status()).toMatchObject({ patients: 2, resources: 3 });
    expect(readdirSync(dir).filter((name) => !name.startsWith('vault.db'))).toEqual([]);
    expect(readFileSync(vaultFilePath(dir)).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\u0000');
  });

  it('keeps the charts across close and reopen, with the key from the keystore', async () => {
    const dir = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    vault.resources.upsert(patient('p1'));
    vault.setWard('ward-7');
    vault.checkpoints.set('Observation', '2024-05-01T10:00:00Z');
    vault.close();
    const reopened = track(await openVault({ dataDir: dir, custodian }));
    expect(reopened.resources.read('Patient', 'p1')).toEqual(patient('p1'));
    expect(reopened.ward()).toBe('ward-7');
    expect(reopened.checkpoints.get('Observation')).toBe('2024-05-01T10:00:00Z');
  });

  it('refuses to create a vault over an existing one, leaving it untouched', async () => {
    const { dir } = await filledVault(10);
    const before = sha256(vaultFilePath(dir));
    const keyBefore = await custodian.load(keyNameFor(dir, 'vault'));
    await expect(createVault({ dataDir: dir, custodian })).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(sha256(vaultFilePath(dir))).toBe(before);
    expect((await custodian.load(keyNameFor(dir, 'vault')))!.equals(keyBefore!)).toBe(true);
  });

  it('refuses to open a vault that does not exist, and creates none', async () => {
    const dir = dataDir();
    await expect(openVault({ dataDir: dir, custodian })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses every call once closed', async () => {
    const vault = await createVault({ dataDir: dataDir(), custodian });
    vault.close();
    expect(vault.isOpen).toBe(false);
    expect(() => vault.status()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => vault.resources.count()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    expect(() => vault.census()).toThrow(expect.objectContaining({ code: 'CLOSED' }));
    await expect(vault.rekey()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});

describe('a vault that cannot be read', () => {
  it('refuses to open with a wrong key, leaving the file untouched', async () => {
    const { dir } = await filledVault(50);
    const before = sha256(vaultFilePath(dir));
    await custodian.store(keyNameFor(dir, 'vault'), randomBytes(32));
    const error = await openError(dir);
    expect(error.code).toBe('WRONG_KEY_OR_CORRUPT');
    expect(error.message).toMatch(/left untouched/);
    expect(sha256(vaultFilePath(dir))).toBe(before);
  });

  it('refuses to open when the keystore has no key for it (a copied disk)', async () => {
    const { dir } = await filledVault(5);
    const stranger = dataDir();
    copyFileSync(vaultFilePath(dir), vaultFilePath(stranger));
    const before = sha256(vaultFilePath(stranger));
    expect((await openError(stranger)).code).toBe('KEY_MISSING');
    expect(sha256(vaultFilePath(stranger))).toBe(before);
  });

  it('detects bytes flipped in the middle of the file, and leaves both files untouched', async () => {
    const { dir, key } = await filledVault(400);
    const original = sha256(vaultFilePath(dir));
    const copy = await copyWithKey(dir, key);
    const file = vaultFilePath(copy);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(20 * 4096);
    const middle = Math.floor(bytes.length / 2);
    for (let i = 0; i < 16; i += 1) bytes[middle + i] = bytes[middle + i]! ^ 0xff;
    writeFileSync(file, bytes);
    const damaged = sha256(file);

    const error = await openError(copy);
    expect(error.code).toBe('CORRUPT');
    expect(sha256(file)).toBe(damaged);
    expect(sha256(vaultFilePath(dir))).toBe(original);
  });

  it('in background mode, opens at once and closes itself when the check then finds the damage', async () => {
    const { dir, key } = await filledVault(400);
    const copy = await copyWithKey(dir, key);
    const file = vaultFilePath(copy);
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    for (let i = 0; i < 16; i += 1) bytes[middle + i] = bytes[middle + i]! ^ 0xff;
    writeFileSync(file, bytes);

    const vault = track(await openVault({ dataDir: copy, custodian, integrityCheck: 'background' }));
    await expect(vault.integrity).rejects.toMatchObject({ code: 'CORRUPT' });
    expect(vault.isOpen).toBe(false);
    expect(() => vault.resources.count()).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });

  it('in background mode, serves a healthy vault and reports it intact', async () => {
    const { dir } = await filledVault(50);
    const vault = track(await openVault({ dataDir: dir, custodian, integrityCheck: 'background' }));
    expect(vault.resources.count('Observation')).toBe(50);
    await expect(vault.integrity).resolves.toBeUndefined();
    expect(vault.isOpen).toBe(true);
  });

  it('detects a damaged first page as wrong key or corrupt', async () => {
    const { dir, key } = await filledVault(20);
    const copy = await copyWithKey(dir, key);
    const file = vaultFilePath(copy);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 0x01;
    writeFileSync(file, bytes);
    expect((await openError(copy)).code).toBe('WRONG_KEY_OR_CORRUPT');
  });

  it('detects a truncated file, and never recreates it', async () => {
    const { dir, key } = await filledVault(400);
    const copy = await copyWithKey(dir, key);
    const file = vaultFilePath(copy);
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 2 / 4096) * 4096);
    const truncated = sha256(file);
    expect((await openError(copy)).code).toBe('CORRUPT');
    expect(sha256(file)).toBe(truncated);
  });

  it('refuses an empty file instead of treating it as a new vault', async () => {
    const { dir, key } = await filledVault(1);
    const copy = await copyWithKey(dir, key);
    truncateSync(vaultFilePath(copy), 0);
    expect((await openError(copy)).code).toBe('CORRUPT');
    expect(readFileSync(vaultFilePath(copy)).length).toBe(0);
  });

  it('refuses a plain, unencrypted SQLite file put in its place', async () => {
    const { dir, key } = await filledVault(1);
    const copy = await copyWithKey(dir, key);
    const { default: PlainSqlite } = await import('better-sqlite3');
    const file = vaultFilePath(copy);
    const plain = new PlainSqlite(`${file}.plain`);
    plain.exec('CREATE TABLE resources (json TEXT); PRAGMA user_version = 2;');
    plain.close();
    copyFileSync(`${file}.plain`, file);
    expect((await openError(copy)).code).toBe('WRONG_KEY_OR_CORRUPT');
  });
});

describe('the data directory', () => {
  it('is created on demand and holds only the vault file once the vault is closed', async () => {
    const parent = dataDir();
    const dir = path.join(parent, 'nested', 'data');
    cleanups.push(() => wipeVault({ dataDir: dir, custodian }));
    const vault = await createVault({ dataDir: dir, custodian });
    vault.resources.upsert(patient('p1'));
    vault.close();
    expect(readdirSync(dir)).toEqual(['vault.db']);
  });
});
