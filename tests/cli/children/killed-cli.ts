// Child process of the CLI kill tests (wipe-killed-cli.test.ts, rekey-cli.test.ts): one `wardline`
// command through the CLI's own entry (runAdmin, as bin/wardline.js and `Wardline --admin` run it)
// on the real OS keystore, killed with SIGKILL at a named keystore operation of the command (found
// through the CLI's keystore port, never by timing), just before or just after it runs:
//   node --import tsx killed-cli.ts <store|destroy>:<key>:<before|after> <wardline args…>
// <key> is the key's purpose (vault, audit, device), `.next` added for its staging name in a rekey;
// the data folder is the command's --data. E.g. `destroy:vault:after wipe --data DIR` kills the
// wipe once the chart cache's key is destroyed.
import { runAdmin } from '../../../electron/cli/index.js';
import { createKeytarCustodian, keyNameFor, type KeyCustodian } from '../../../electron/vault/index.js';

const [spec, ...args] = process.argv.slice(2) as [string, ...string[]];
const [operation, key, when] = spec.split(':') as [string, string, string];
if (!['store', 'destroy'].includes(operation) || !['before', 'after'].includes(when)) throw new Error(`bad kill point ${spec}`);
const [purpose, staging] = key.split('.') as ['vault' | 'audit' | 'device', string | undefined];

function killedAt(inner: KeyCustodian, name: string): KeyCustodian {
  const at = async <T>(op: string, keyName: string, run: () => Promise<T>): Promise<T> => {
    const hit = op === operation && keyName === name;
    if (hit && when === 'before') process.kill(process.pid, 'SIGKILL');
    const result = await run();
    if (hit && when === 'after') process.kill(process.pid, 'SIGKILL');
    return result;
  };
  return {
    store: (keyName, value) => at('store', keyName, () => inner.store(keyName, value)),
    load: (keyName) => inner.load(keyName),
    destroy: (keyName) => at('destroy', keyName, () => inner.destroy(keyName)),
  };
}

process.exitCode = await runAdmin(args, {
  custodianFor: (dir) => killedAt(createKeytarCustodian(), `${keyNameFor(dir, purpose)}${staging === undefined ? '' : `.${staging}`}`),
});
