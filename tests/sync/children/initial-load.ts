// Child process of the initial-load crash trials: opens a freshly enrolled workstation's vault as the
// host does and runs its first sync, whose load writes in the vault's bulk-load mode (a rollback
// journal instead of WAL). It stops dead at the point its second argument names and says
// "at <point>", for the parent to kill it there (SIGKILL):
//   mid-transaction       inside a load transaction, its rollback journal beside the file
//   hot-journal           inside a load transaction whose changed pages have reached the file
//   between-transactions  right after a load transaction committed in rollback-journal mode
// It says "done" when the sync ended without reaching the point.
//   node --import tsx initial-load.ts <dataDir> <point>
import { existsSync, writeSync } from 'node:fs';
import { pino } from 'pino';
import { createSyncEngine } from '../../../electron/sync/index.js';
import { createKeytarCustodian, openVault, vaultFilePath } from '../../../electron/vault/index.js';
import { isHotJournal } from '../../../electron/vault/test-helpers.js';

const dataDir = process.argv[2]!;
const point = process.argv[3]!;
const custodian = createKeytarCustodian();
const logger = pino({ level: 'silent' });
const vault = await openVault({ dataDir, custodian, logger });
const engine = createSyncEngine({
  vault,
  dataDir,
  custodian,
  logger,
  // Transactions larger than the bulk-load cache, so their changed pages reach the file before
  // the commit (a hot journal), and several of them in the load.
  policy: { pageSize: 500, maxResourcesPerTransaction: 8_000, retries: 2, retryBaseMs: 5, retryMaxMs: 20 },
});
const journal = `${vaultFilePath(dataDir)}-journal`;

function stopHere(): never {
  writeSync(1, `at ${point}\n`);
  // Blocks this thread (the only one writing) until the parent's SIGKILL.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
  process.exit(3);
}

const transaction = vault.transaction.bind(vault);
let depth = 0;
vault.transaction = <T>(fn: () => T, options?: { durable?: boolean }): T => {
  depth += 1;
  let inRollbackJournal = false;
  try {
    return transaction(() => {
      const result = fn();
      inRollbackJournal = existsSync(journal);
      const loading = vault.resources.count() > 0;
      if (depth === 1 && loading && point === 'mid-transaction' && inRollbackJournal) stopHere();
      if (depth === 1 && loading && point === 'hot-journal' && isHotJournal(journal)) stopHere();
      return result;
    }, options);
  } finally {
    depth -= 1;
    if (depth === 0 && inRollbackJournal && point === 'between-transactions') stopHere();
  }
};

writeSync(1, 'ready\n');
await engine.syncOnce();
writeSync(1, 'done\n');
await engine.close();
vault.close();
