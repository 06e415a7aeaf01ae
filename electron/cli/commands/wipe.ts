// `wardline wipe --data DIR`: crypto-erase. The key is destroyed in the keystore first, then the files.
import { vaultExists, wipeVault } from '../../vault/index.js';
import { dataOption, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

export const wipeCommand: CliCommand = {
  summary: 'crypto-erase the vault: destroy its key, then delete its files',
  options: { ...dataOption },
  async run(values, io) {
    const { dataDir, logger, custodian } = workstationFrom(values);
    const hadVault = vaultExists(dataDir);
    await wipeVault({ dataDir, custodian });
    logger.warn({ event: 'vault.wipe', hadVault }, 'vault wiped');
    io.out(hadVault ? `Wiped the vault in ${dataDir}: key destroyed, files deleted.` : `No vault in ${dataDir}; any leftover key was destroyed.`);
    return 0;
  },
};
