// Crash safety of the first sync's load, which writes in the vault's bulk-load mode (a rollback
// journal instead of WAL, electron/vault/bulk-load.ts): a child process running a new workstation's
// first sync is killed (SIGKILL) inside a load transaction (its journal beside the file), inside one
// whose changed pages have already reached the file (a hot journal), and between two. After each
// kill the vault opens (integrity checked), the journal has been rolled back, the file is in WAL mode
// again, and the next sync completes with every resource of the ward, each once. A first sync that
// fails part-way through its load (an unreadable hub answer) leaves the vault in WAL mode too.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHotJournal } from '../../electron/vault/test-helpers.js';
import { vaultFilePath } from '../../electron/vault/index.js';
import { startFaultProxy } from '../support/fault-proxy.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { enrollTestWorkstation, hubWardContents, seedGeneratedWard, vaultDifferences, type TestWorkstation } from './sync-test-kit.js';

const CHILD = join(import.meta.dirname, 'children', 'initial-load.ts');
const POINTS = {
  'mid-transaction': 'inside a load transaction',
  'hot-journal': 'inside a load transaction with a hot journal',
  'between-transactions': 'between two load transactions',
} as const;

let hub: TestHub;
const stations: TestWorkstation[] = [];

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite', rateLimit: { sustainedPerSecond: 5000, burst: 10000 } });
  // About 20,000 resources: several load transactions of 8,000, each more than the bulk-load cache.
  await seedGeneratedWard(hub.db, 'a', { seed: 'sync-crash-initial-load', patients: 16, days: 14 });
});

afterAll(async () => {
  for (const station of stations) await station.remove();
  await hub?.stop();
});

/** What the disk holds when the child is killed at `point`. */
interface AtKill {
  readonly files: string[];
  readonly hotJournal: boolean;
}

/** The vault's files in the data folder (the database and SQLite's side files). */
function vaultFiles(station: TestWorkstation): string[] {
  return readdirSync(station.dataDir)
    .filter((name) => name.startsWith('vault.db'))
    .sort();
}

function killAt(station: TestWorkstation, point: string): Promise<AtKill> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, station.dataDir, point], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    });
    let stderr = '';
    let atKill: AtKill | null = null;
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line !== `at ${point}`) return;
      // The child is blocked at the point: the files are as a crash there leaves them.
      atKill = {
        files: vaultFiles(station),
        hotJournal: isHotJournal(`${vaultFilePath(station.dataDir)}-journal`),
      };
      child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && atKill !== null) resolve(atKill);
      else reject(new Error(`the child ended by itself (code ${code}) before ${point}: ${stderr.slice(0, 2000)}`));
    });
  });
}

describe('sync: a kill during the first sync’s load (rollback-journal mode)', () => {
  for (const [point, where] of Object.entries(POINTS)) {
    it(`recovers from a kill ${where}: the vault opens in WAL mode and the next sync completes`, async () => {
      const station = await enrollTestWorkstation(hub, 'a');
      stations.push(station);
      const atKill = await killAt(station, point);
      // In rollback-journal mode: no WAL beside the file; a journal inside a transaction.
      expect(atKill.files).not.toContain('vault.db-wal');
      if (point === 'between-transactions') expect(atKill.files).toEqual(['vault.db']);
      else expect(atKill.files).toEqual(['vault.db', 'vault.db-journal']);
      if (point === 'hot-journal') expect(atKill.hotJournal).toBe(true);

      const vault = await station.openVault();
      try {
        expect(existsSync(`${vaultFilePath(station.dataDir)}-journal`)).toBe(false);
        const engine = station.engine(vault);
        await engine.syncOnce();
        await engine.close();
        const expected = await hubWardContents(hub.db, 'a');
        expect(vaultDifferences(vault, expected)).toEqual([]);
        expect(vault.resources.count()).toBe(expected.size);
        // Back in WAL: the sync's writes went to the WAL, no rollback journal is left.
        expect(vaultFiles(station)).toEqual(['vault.db', 'vault.db-shm', 'vault.db-wal']);
      } finally {
        vault.close();
      }
    }, 120_000);
  }

  it('returns to WAL when the first sync fails part-way through its load, and the next sync completes', async () => {
    const proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
    try {
      const station = await enrollTestWorkstation(hub, 'a', { hubUrl: proxy.url, pin: proxy.pin });
      stations.push(station);
      const vault = await station.openVault();
      try {
        // The third chart page the load asks for comes back as JSON that is not a Bundle.
        let pages = 0;
        proxy.setAnswerRewrite((path) => {
          if (!path.includes('$everything')) return null;
          pages += 1;
          return pages === 3 ? Buffer.from(JSON.stringify({ resourceType: 'Bundle', entry: [{ resource: {} }] })) : null;
        });
        const engine = station.engine(vault, { pageSize: 500, maxResourcesPerTransaction: 1_000, loadConcurrency: 1 });
        await expect(engine.syncOnce()).rejects.toMatchObject({ code: 'HUB_ANSWER_MALFORMED' });
        expect(vault.resources.count()).toBeGreaterThan(0);
        vault.status();
        expect(vaultFiles(station)).toEqual(['vault.db', 'vault.db-shm', 'vault.db-wal']);

        proxy.setAnswerRewrite(null);
        await engine.syncOnce();
        await engine.close();
        expect(vaultDifferences(vault, await hubWardContents(hub.db, 'a'))).toEqual([]);
      } finally {
        vault.close();
      }
    } finally {
      await proxy.stop();
    }
  }, 120_000);
});
