// `wardline rekey [--data DIR] [--json]`: changes the encryption keys of the chart cache and of the
// audit trail (new random keys, wrapped by the OS keystore), safely across a crash, and records it
// in the audit trail. Refuses while Wardline runs on the folder (it holds the folder meanwhile).
import { openAuditLog } from '../../audit/index.js';
import { rekeyWorkstation } from '../../host/index.js';
import { openVault, vaultExists, VaultError } from '../../vault/index.js';
import { dataOption, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

export const rekeyCommand: CliCommand = {
  summary: 'change the keys of the chart cache and the audit trail (new keys into the OS keystore; crash-safe; audited)',
  writesDataDir: true,
  options: { ...dataOption, json: { type: 'boolean' } },
  async run(values, io) {
    const { dataDir, logger, custodian } = workstationFrom(values);
    if (!vaultExists(dataDir)) {
      throw new VaultError('NOT_FOUND', `There is no vault in ${dataDir}, so there is no key to change.`);
    }
    const audit = await openAuditLog({ dataDir, custodian, logger });
    try {
      const vault = await openVault({ dataDir, custodian, logger });
      try {
        await rekeyWorkstation({ vault, audit, by: 'cli', logger });
        const keyChangedAt = vault.keyChangedAt();
        if (values.json === true) io.out(JSON.stringify({ vault: true, audit: true, keyChangedAt }));
        else io.out(`Changed the keys of the chart cache and the audit trail in ${dataDir}; the new keys are in the OS keystore.`);
      } finally {
        vault.close();
      }
    } finally {
      audit.close();
    }
    return 0;
  },
};
