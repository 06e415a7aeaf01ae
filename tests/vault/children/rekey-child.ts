// Opens the vault in <dataDir> and changes its key, printing "rekeying" the moment the new key is
// staged in the keystore and the re-encryption is about to start, and "done" after. The parent
// test kills this process with SIGKILL somewhere in between.
// Usage: node --import tsx rekey-child.ts <dataDir>
import { KeytarCustodian, openVault, type KeyCustodian } from '../../../electron/vault/index.js';

const dataDir = process.argv[2]!;
const real = new KeytarCustodian();
const announcing: KeyCustodian = {
  store: (name, key) => real.store(name, key),
  destroy: (name) => real.destroy(name),
  async load(name) {
    const key = await real.load(name);
    if (name.endsWith('.next')) process.stdout.write('rekeying\n');
    return key;
  },
};
const vault = await openVault({ dataDir, custodian: announcing });
await vault.rekey();
vault.close();
process.stdout.write('done\n');
