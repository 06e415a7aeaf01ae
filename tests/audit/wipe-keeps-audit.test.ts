// The audit trail outlives the chart cache: wiping the vault (crypto-erase: its key destroyed, its
// files deleted) and building a new one leaves audit.db, its key and its chain as they were.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAuditLog, wipeEntry } from '../../electron/audit/index.js';
import { temporaryAuditDir, type AuditTestDir } from '../../electron/audit/test-helpers.js';
import { createVault, keyNameFor, wipeVault } from '../../electron/vault/index.js';

let dir: AuditTestDir;
afterEach(async () => {
  await dir?.remove();
});

describe('wiping the chart cache', () => {
  it('leaves the audit trail file, its key and its chain intact, and the wipe itself is recorded', async () => {
    dir = temporaryAuditDir('wipe');
    const vault = await createVault({ dataDir: dir.dir, custodian: dir.custodian, ward: '4b' });
    vault.resources.upsert({ resourceType: 'Patient', id: 'p-1' });
    vault.close();
    const log = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian });
    for (let i = 0; i < 25; i += 1) log.record({ action: 'chart-read', user: 'u-1', patient: 'p-1', resources: ['Patient/p-1'] });
    const head = log.head();
    const auditKey = await dir.custodian.load(keyNameFor(dir.dir, 'audit'));

    await wipeVault({ dataDir: dir.dir, custodian: dir.custodian });
    log.record(wipeEntry('cli', 'ended'));

    expect(readdirSync(dir.dir).filter((f) => f.startsWith('vault.db'))).toEqual([]);
    expect(await dir.custodian.load(keyNameFor(dir.dir, 'vault'))).toBeNull();
    expect(existsSync(path.join(dir.dir, 'audit.db'))).toBe(true);
    expect(await dir.custodian.load(keyNameFor(dir.dir, 'audit'))).toEqual(auditKey);
    expect(log.get(head.sequence)?.hash).toBe(head.hash);
    log.close();

    (await createVault({ dataDir: dir.dir, custodian: dir.custodian, ward: '4b' })).close();
    const reopened = await openAuditLog({ dataDir: dir.dir, custodian: dir.custodian, create: false });
    try {
      expect(reopened.verify()).toMatchObject({ ok: true, entries: 26 });
      expect(reopened.get(26)).toMatchObject({ action: 'wipe', detail: { by: 'cli' } });
    } finally {
      reopened.close();
    }
    await wipeVault({ dataDir: dir.dir, custodian: dir.custodian });
  });
});
