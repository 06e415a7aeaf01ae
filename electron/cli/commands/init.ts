// `wardline init --data DIR [--ward W]`: creates the encrypted vault; its key goes into the OS keystore.
import { createVault } from '../../vault/index.js';
import { dataOption, stringValue, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

export const initCommand: CliCommand = {
  summary: 'create the encrypted chart cache (key into the OS keystore)',
  writesDataDir: true,
  options: { ...dataOption, ward: { type: 'string' } },
  async run(values, io) {
    const { dataDir, logger, custodian } = workstationFrom(values);
    const ward = stringValue(values, 'ward');
    const vault = await createVault({ dataDir, custodian, logger, ...(ward ? { ward } : {}) });
    const status = vault.status();
    vault.close();
    logger.info({ event: 'vault.init', schemaVersion: status.schemaVersion }, 'vault created');
    io.out(`Created an encrypted vault (SQLCipher, schema ${status.schemaVersion}) in ${dataDir}; its key is in the OS keystore.`);
    return 0;
  },
};
