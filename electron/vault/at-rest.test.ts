// What an attacker who copies the disk finds: no patient data in clear in any file the vault
// writes (database, WAL, shared memory, the rollback journal of a bulk load, logs, anything in the
// data directory), and never the key.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import PlainSqlite from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { generateWard, type SyntheticWard } from '../../shared/synthetic/index.js';
import { keyNameFor } from './key-name.js';
import { KeytarCustodian } from './keytar-custodian.js';
import { crashImage, encodingsOf, filesContaining, isHotJournal, temporaryDataDir } from './test-helpers.js';
import { createVault, openVault, type Vault } from './vault.js';
import { vaultFilePath } from './vault-files.js';
import { wipeVault } from './wipe.js';

const custodian = new KeytarCustodian();
const NOW = '2026-01-15T08:00:00Z';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dataDir(label: string): string {
  const data = temporaryDataDir(label);
  cleanups.push(async () => {
    await wipeVault({ dataDir: data.dir, custodian });
    data.remove();
  });
  return data.dir;
}

/**
 * Every patient's sensitive strings, as UTF-8 and UTF-16LE bytes. Needles shorter than 4 bytes
 * (a three-letter given name in UTF-8) are left out: random ciphertext contains such short
 * sequences by chance; the same name is still searched for inside the patient's full name.
 */
function sensitiveNeedles(ward: SyntheticWard): Buffer[] {
  return ward.patients
    .flatMap((p) => p.sensitiveStrings)
    .flatMap(encodingsOf)
    .filter((bytes) => bytes.length >= 4);
}

/** Reads every chart the way the screens do. */
function browse(vault: Vault, ward: SyntheticWard): void {
  vault.census();
  for (const p of ward.patients) {
    const id = p.patient.id!;
    vault.patientSummary(id);
    vault.observationTrend(id, '8867-4', '2026-01-10T00:00:00Z', NOW);
    vault.observationTrend(id, '85354-9', '2026-01-10T00:00:00Z', NOW);
    vault.medicationAdministrationRecord(id, '2026-01-14T00:00:00Z', NOW);
  }
}

describe('the vault at rest', () => {
  it('leaves no patient name, MRN or birth date in clear in any file, while open and after close', async () => {
    const ward = generateWard({ seed: 'at-rest', patients: 5, days: 3, now: NOW });
    const needles = sensitiveNeedles(ward);
    expect(needles.length).toBeGreaterThanOrEqual(5 * 8);

    // The scanner finds every needle where the data is in clear: the same resources in plain SQLite.
    const control = dataDir('at-rest-control');
    const plain = new PlainSqlite(path.join(control, 'plain.db'));
    plain.exec('CREATE TABLE r (json TEXT)');
    const insert = plain.prepare('INSERT INTO r VALUES (?)');
    for (const resource of ward.resources) insert.run(JSON.stringify(resource));
    plain.close();
    const clearText = Buffer.from(ward.resources.map((r) => JSON.stringify(r)).join('\n'));
    const inClear = needles.filter((needle) => clearText.includes(needle));
    expect(inClear.length).toBeGreaterThanOrEqual(5 * 3);
    const found = new Set(filesContaining(control, inClear).map((hit) => hit.needle));
    expect(found.size).toBe(inClear.length);

    const dir = dataDir('at-rest');
    mkdirSync(path.join(dir, 'logs'));
    const logFile = path.join(dir, 'logs', 'wardline.log');
    const logger = pino({ level: 'debug' }, pino.destination({ dest: logFile, sync: true }));
    const vault = await createVault({ dataDir: dir, custodian, ward: ward.location.id!, logger });
    vault.resources.upsertMany(ward.resources);
    browse(vault, ward);
    await vault.rekey();
    browse(vault, ward);
    expect(readdirSync(dir).sort()).toEqual(['logs', 'vault.db', 'vault.db-shm', 'vault.db-wal']);
    expect(filesContaining(dir, needles)).toEqual([]);

    vault.close();
    const reopened = await openVault({ dataDir: dir, custodian, logger });
    browse(reopened, ward);
    reopened.close();
    logger.flush();
    expect(readFileSync(logFile, 'utf8')).toContain('vault opened');
    expect(filesContaining(dir, needles)).toEqual([]);
  });

  it("keeps the bulk load's rollback journal encrypted, and a crash mid-transaction is rolled back at the next open, back in WAL", async () => {
    const ward = generateWard({ seed: 'at-rest-journal', patients: 5, days: 3, now: NOW });
    const needles = sensitiveNeedles(ward);

    // The scanner finds the names in a rollback journal in clear: the same rewrite in plain SQLite.
    const control = dataDir('at-rest-journal-control');
    const controlCrash = dataDir('at-rest-journal-control-crash');
    const plain = new PlainSqlite(path.join(control, 'plain.db'));
    plain.pragma('journal_mode=DELETE');
    plain.exec('CREATE TABLE r (json TEXT)');
    const insert = plain.prepare('INSERT INTO r VALUES (?)');
    for (const resource of ward.resources) insert.run(JSON.stringify(resource));
    plain.transaction(() => {
      plain.exec("UPDATE r SET json = json || ' '");
      expect(crashImage(path.join(control, 'plain.db'), controlCrash)).toEqual(['plain.db', 'plain.db-journal']);
    })();
    plain.close();
    expect(filesContaining(path.join(controlCrash, 'plain.db-journal'), needles).length).toBeGreaterThanOrEqual(5 * 3);

    // The vault: the initial load written in bulk-load mode, then a second transaction rewriting every
    // row (so the journal holds every page as it was), with more than the bulk cache holds (so changed
    // pages reach the file before the commit), caught by a crash before its commit: a hot journal.
    const dir = dataDir('at-rest-journal');
    const crashed = dataDir('at-rest-journal-crash');
    const vault = await createVault({ dataDir: dir, custodian, ward: ward.location.id! });
    vault.beginBulkLoad();
    vault.resources.upsertMany(ward.resources);
    const committed = readFileSync(vaultFilePath(dir));
    const more = generateWard({ seed: 'at-rest-journal-more', patients: 12, days: 14, now: NOW }).resources;
    let leftBehind: string[] = [];
    vault.transaction(() => {
      vault.resources.upsertMany([...ward.resources, ...more]);
      leftBehind = crashImage(vaultFilePath(dir), crashed);
      expect(filesContaining(dir, needles)).toEqual([]);
    });
    vault.endBulkLoad();
    vault.close();
    expect(leftBehind).toEqual(['vault.db', 'vault.db-journal']);
    expect(isHotJournal(path.join(crashed, 'vault.db-journal'))).toBe(true);
    expect(readFileSync(path.join(crashed, 'vault.db')).equals(committed)).toBe(false);
    expect(filesContaining(crashed, needles)).toEqual([]);
    expect(filesContaining(dir, needles)).toEqual([]);

    // The crash image opens (integrity checked): the journal rolled back under the vault key, the
    // interrupted transaction gone, the committed load whole, and the file in WAL mode again.
    await custodian.store(keyNameFor(crashed, 'vault'), (await custodian.load(keyNameFor(dir, 'vault')))!);
    const reopened = await openVault({ dataDir: crashed, custodian });
    try {
      expect(existsSync(path.join(crashed, 'vault.db-journal'))).toBe(false);
      expect(reopened.resources.count()).toBe(ward.resources.length);
      expect(reopened.resources.read('Patient', more.find((r) => r.resourceType === 'Patient')!.id!)).toBeNull();
      browse(reopened, ward);
      reopened.resources.upsert({ resourceType: 'Patient', id: 'written-after-recovery' });
      expect(readdirSync(crashed).sort()).toEqual(['vault.db', 'vault.db-shm', 'vault.db-wal']);
      expect(statSync(path.join(crashed, 'vault.db-wal')).size).toBeGreaterThan(0);
    } finally {
      reopened.close();
    }
    expect(filesContaining(crashed, needles)).toEqual([]);
  });

  it('never writes the key, in any form, to the data directory or to temporary files', async () => {
    const tmpBefore = new Set(readdirSync(os.tmpdir()));
    const dir = dataDir('key-at-rest');
    const ward = generateWard({ seed: 'key-at-rest', patients: 2, days: 2, now: NOW });
    const vault = await createVault({ dataDir: dir, custodian });
    const firstKey = (await custodian.load(keyNameFor(dir, 'vault')))!;
    vault.resources.upsertMany(ward.resources);
    await vault.rekey();
    browse(vault, ward);
    vault.close();
    const secondKey = (await custodian.load(keyNameFor(dir, 'vault')))!;
    (await openVault({ dataDir: dir, custodian })).close();

    const needles = [firstKey, secondKey].flatMap((key) => [
      key,
      Buffer.from(key.toString('hex')),
      Buffer.from(key.toString('hex').toUpperCase()),
      Buffer.from(key.toString('base64')),
      ...encodingsOf(key.toString('hex')).slice(1),
    ]);
    const newTemporaryEntries = readdirSync(os.tmpdir())
      .filter((entry) => !tmpBefore.has(entry))
      .map((entry) => path.join(os.tmpdir(), entry));
    expect(newTemporaryEntries).toContain(dir);
    for (const place of newTemporaryEntries) {
      expect(filesContaining(place, needles), place).toEqual([]);
    }
  });
});
