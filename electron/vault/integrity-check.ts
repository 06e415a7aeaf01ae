// The integrity check run when a vault is opened: PRAGMA quick_check, in a worker thread.
//
// Why quick_check and not cipher_integrity_check: the engine (SQLite3MultipleCiphers) does not
// implement cipher_integrity_check, and quick_check covers what it would: in SQLCipher 4 mode every
// page read is verified against its HMAC-SHA512, and quick_check reads every page of every table
// and index b-tree, checking their structure too. It skips only the index-against-table cross-check
// of the full integrity_check, which costs far more and which a re-sync repairs anyway.
//
// Why a worker: the check reads (decrypts, authenticates) the whole file, a few hundred ms for a
// large ward, and must not freeze the host's event loop. The worker opens its own read-only
// connection (WAL lets it read beside the main one). It is plain JavaScript evaluated from the
// string below so it runs unchanged under tsx, vitest and packaged Electron (Node 20 workers do
// not inherit a TypeScript loader). The cipher's pragmas (VAULT_CIPHER_PRAGMAS, the one source) reach
// it in its workerData, and the key as the `x'…'` passphrase in a transferred ArrayBuffer (so no copy
// stays in this thread), which the worker zeroes after keying.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { isCorruption, rawKeyPassphrase, VAULT_CIPHER_PRAGMAS } from './sqlcipher-connection.js';
import { VaultError } from './vault-error.js';

const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const passphrase = Buffer.from(workerData.passphrase);
let db;
let outcome;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  for (const pragma of workerData.cipherPragmas) db.pragma(pragma);
  try { db.key(passphrase); } finally { passphrase.fill(0); }
  db.pragma('temp_store=MEMORY');
  const findings = db.prepare('PRAGMA quick_check').pluck().all();
  outcome = { intact: findings.length === 1 && findings[0] === 'ok', findings: findings.length };
} catch (error) {
  outcome = { intact: false, sqliteCode: error && typeof error.code === 'string' ? error.code : null };
} finally {
  passphrase.fill(0);
  if (db) db.close();
}
parentPort.postMessage(outcome);
`;

interface Outcome {
  readonly intact: boolean;
  readonly findings?: number;
  readonly sqliteCode?: string | null;
}

const DAMAGED =
  "The chart cache file is damaged. The file was left untouched. Ask IT to wipe this workstation's cache (wardline wipe) and let it sync again.";

/**
 * Runs quick_check over `file` keyed with `key`, off this thread. Resolves when every page
 * decrypts, authenticates and forms valid b-trees; rejects with VaultError CORRUPT otherwise, or
 * INTEGRITY_UNCHECKED when the check itself could not run. `key` may be zeroed once this returns.
 */
export function checkIntegrity(file: string, key: Buffer): Promise<void> {
  const passphrase = rawKeyPassphrase(key);
  const transferable = new Uint8Array(passphrase.length);
  transferable.set(passphrase);
  passphrase.fill(0);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: DRIVER, cipherPragmas: VAULT_CIPHER_PRAGMAS, passphrase: transferable.buffer },
      transferList: [transferable.buffer],
    });
    worker.once('message', (outcome: Outcome) => {
      settled = true;
      if (outcome.intact) resolve();
      else if (outcome.sqliteCode === undefined || isCorruption({ code: outcome.sqliteCode })) reject(new VaultError('CORRUPT', DAMAGED));
      else {
        reject(
          new VaultError(
            'INTEGRITY_UNCHECKED',
            `The chart cache's integrity check could not read the file (${String(outcome.sqliteCode)}). Restart Wardline; if this repeats, ask IT to check the disk.`,
          ),
        );
      }
    });
    worker.once('error', (error) => {
      if (settled) return;
      settled = true;
      reject(
        new VaultError(
          'INTEGRITY_UNCHECKED',
          "The chart cache's integrity check could not run. Restart Wardline; if this repeats, ask IT to report it.",
          { cause: error },
        ),
      );
    });
    worker.once('exit', () => {
      if (settled) return;
      settled = true;
      reject(
        new VaultError(
          'INTEGRITY_UNCHECKED',
          "The chart cache's integrity check stopped before it finished. Restart Wardline; if this repeats, ask IT to report it.",
        ),
      );
    });
  });
}
