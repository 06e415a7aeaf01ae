// The sync's initial load mode (Vault.beginBulkLoad / endBulkLoad): its commits are copied from the
// write-ahead log into the vault file by a worker thread, and whatever happens to that worker (a
// vault closed mid-load, no key for it) nothing committed is lost.
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { failingCustodian, temporaryDataDir } from './test-helpers.js';
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

function track(vault: Vault): Vault {
  cleanups.push(() => vault.close());
  return vault;
}

function heartRate(id: string, when: number) {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
    subject: { reference: 'Patient/p1' },
    effectiveDateTime: new Date(when).toISOString(),
    valueQuantity: { value: 60 + (when % 40), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
  };
}

/** `transactions` bulk commits of 1,000 observations each (about 0.6 MB of log per commit). */
function writeBatches(vault: Vault, transactions: number): void {
  for (let t = 0; t < transactions; t += 1) {
    const batch = Array.from({ length: 1000 }, (_, i) => heartRate(`hr-${t}-${i}`, Date.UTC(2024, 0, 1) + (t * 1000 + i) * 60_000));
    vault.transaction(() => vault.resources.upsertMany(batch));
  }
}

const fileBytes = (dir: string): number => statSync(vaultFilePath(dir)).size;

describe('the bulk load', () => {
  it('copies its commits into the vault file off the writing thread, and keeps every resource', async () => {
    const dir = dataDir();
    const vault = track(await createVault({ dataDir: dir, custodian }));
    const before = fileBytes(dir);
    await vault.beginBulkLoad();
    writeBatches(vault, 4);
    await vault.endBulkLoad();
    // The commits themselves do not checkpoint a log this small (its bound is 64 MiB): the pages
    // in the file were copied there by the worker.
    expect(fileBytes(dir) - before).toBeGreaterThan(1_000_000);
    expect(vault.resources.count('Observation')).toBe(4000);
    vault.close();
    const reopened = track(await openVault({ dataDir: dir, custodian }));
    expect(reopened.resources.count('Observation')).toBe(4000);
    expect(reopened.resources.read('Observation', 'hr-3-999')?.id).toBe('hr-3-999');
  });

  it('loses nothing when the vault is closed in the middle of it', async () => {
    const dir = dataDir();
    const vault = await createVault({ dataDir: dir, custodian });
    await vault.beginBulkLoad();
    writeBatches(vault, 3);
    vault.close();
    const reopened = track(await openVault({ dataDir: dir, custodian }));
    expect(reopened.resources.count('Observation')).toBe(3000);
  });

  it('goes on, its commits checkpointing themselves, when the key cannot be read for the worker', async () => {
    const dir = dataDir();
    const vault = track(await createVault({ dataDir: dir, custodian }));
    vault.close();
    const name = keyNameFor(dir, 'vault');
    let refuse = false;
    const flaky = failingCustodian(custodian, (operation, keyName) => refuse && operation === 'load' && keyName === name);
    const opened = track(await openVault({ dataDir: dir, custodian: flaky }));
    refuse = true;
    await opened.beginBulkLoad();
    writeBatches(opened, 2);
    await opened.endBulkLoad();
    expect(opened.resources.count('Observation')).toBe(2000);
    opened.close();
    refuse = false;
    const reopened = track(await openVault({ dataDir: dir, custodian }));
    expect(reopened.resources.count('Observation')).toBe(2000);
  });
});
