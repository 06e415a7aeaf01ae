import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SafeStorageCustodian } from './safe-storage-custodian.js';
import { FakeSafeStorage } from './test-helpers.js';
import { createWrappedKeyFileStore } from './wrapped-key-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function keysDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-wrapped-keys-'));
  dirs.push(dir);
  return path.join(dir, 'keys');
}

function filesIn(dir: string): Buffer[] {
  return readdirSync(dir).map((name) => readFileSync(path.join(dir, name)));
}

describe('SafeStorageCustodian', () => {
  it('round-trips a key and writes only the OS-wrapped blob to disk', async () => {
    const dir = keysDir();
    const custodian = new SafeStorageCustodian({
      safeStorage: new FakeSafeStorage(),
      blobs: createWrappedKeyFileStore(dir),
      platform: 'linux',
    });
    const key = randomBytes(32);
    await custodian.store('vault-abc', key);
    expect((await custodian.load('vault-abc'))!.equals(key)).toBe(true);

    const onDisk = filesIn(dir);
    expect(onDisk).toHaveLength(1);
    for (const bytes of onDisk) {
      expect(bytes.includes(key)).toBe(false);
      expect(bytes.includes(Buffer.from(key.toString('base64')))).toBe(false);
      expect(bytes.includes(Buffer.from(key.toString('hex')))).toBe(false);
    }

    await custodian.destroy('vault-abc');
    expect(await custodian.load('vault-abc')).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses to store a key when Electron would fall back to plain-text storage (Linux basic_text)', async () => {
    const dir = keysDir();
    const custodian = new SafeStorageCustodian({
      safeStorage: new FakeSafeStorage(true, 'basic_text'),
      blobs: createWrappedKeyFileStore(dir),
      platform: 'linux',
    });
    await expect(custodian.store('vault-abc', randomBytes(32))).rejects.toMatchObject({
      code: 'KEYSTORE_UNAVAILABLE',
      message: expect.stringContaining('plain-text'),
    });
    await expect(custodian.load('vault-abc')).rejects.toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    expect(() => readdirSync(dir)).toThrow();
  });

  it('refuses when the OS keystore is unavailable, but still lets a wipe destroy the blob', async () => {
    const dir = keysDir();
    const safeStorage = new FakeSafeStorage();
    const custodian = new SafeStorageCustodian({ safeStorage, blobs: createWrappedKeyFileStore(dir), platform: 'linux' });
    await custodian.store('vault-abc', randomBytes(32));
    safeStorage.makeUnavailable();
    await expect(custodian.load('vault-abc')).rejects.toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    await expect(custodian.store('vault-def', randomBytes(32))).rejects.toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
    await custodian.destroy('vault-abc');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('does not ask for a Linux storage backend on other platforms', async () => {
    const safeStorage = new FakeSafeStorage(true, 'basic_text');
    const custodian = new SafeStorageCustodian({ safeStorage, blobs: createWrappedKeyFileStore(keysDir()), platform: 'win32' });
    const key = randomBytes(32);
    await custodian.store('vault-abc', key);
    expect((await custodian.load('vault-abc'))!.equals(key)).toBe(true);
  });

  it('reports a blob the OS can no longer unwrap as a keystore problem', async () => {
    const dir = keysDir();
    const blobs = createWrappedKeyFileStore(dir);
    await new SafeStorageCustodian({ safeStorage: new FakeSafeStorage(), blobs, platform: 'linux' }).store('vault-abc', randomBytes(32));
    const otherUser = new SafeStorageCustodian({ safeStorage: new FakeSafeStorage(), blobs, platform: 'linux' });
    await expect(otherUser.load('vault-abc')).rejects.toMatchObject({ code: 'KEYSTORE_UNAVAILABLE' });
  });
});
