// Runs one vault operation in a child process whose OS keystore the parent test chose (no D-Bus,
// a D-Bus without a keyring, a Secret Service that never answers), and prints the outcome as JSON.
// Usage: node --import tsx keystore-child.ts <create|open> <dataDir> [timeoutMs]
import { createVault, KeytarCustodian, openVault, VaultError } from '../../../electron/vault/index.js';

const [operation, dataDir, timeoutMs] = process.argv.slice(2);
const custodian = new KeytarCustodian({ timeoutMs: timeoutMs === undefined ? 10_000 : Number(timeoutMs) });
try {
  const open = operation === 'create' ? createVault : openVault;
  const vault = await open({ dataDir: dataDir!, custodian });
  vault.close();
  process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
} catch (error) {
  const outcome =
    error instanceof VaultError
      ? { ok: false, code: error.code, message: error.message }
      : { ok: false, code: 'UNEXPECTED', message: String(error) };
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}
// A keystore call that hangs holds a libuv worker thread, and a normal exit waits for the thread
// pool; the outcome is already written (pipes are synchronous), so leave at once.
if (custodian.isHung) process.kill(process.pid, 'SIGKILL');
process.exit(0);
