// Changes the keys of the chart cache and the audit trail in <dataDir> as `wardline rekey` does,
// printing "rekeying" the moment the audit trail's new key is staged in the keystore and its
// re-encryption is about to start, and "done" after. The parent test kills this process with
// SIGKILL somewhere in between.
// Usage: node --import tsx rekey-child.ts <dataDir>
import { openAuditLog } from '../../../electron/audit/index.js';
import { rekeyWorkstation, silentLogger } from '../../../electron/host/index.js';
import { KeytarCustodian, openVault, type KeyCustodian } from '../../../electron/vault/index.js';

const dataDir = process.argv[2]!;
const real = new KeytarCustodian();
const announcing: KeyCustodian = {
  store: (name, key) => real.store(name, key),
  destroy: (name) => real.destroy(name),
  async load(name) {
    const key = await real.load(name);
    if (name.startsWith('audit-') && name.endsWith('.next')) process.stdout.write('rekeying\n');
    return key;
  },
};
const vault = await openVault({ dataDir, custodian: announcing });
const audit = await openAuditLog({ dataDir, custodian: announcing });
await rekeyWorkstation({ vault, audit, by: 'cli', logger: silentLogger() });
audit.close();
vault.close();
process.stdout.write('done\n');
