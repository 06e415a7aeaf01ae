// `wardline wipe --data DIR`: crypto-erase. The key is destroyed in the keystore first, then the files.
// The audit trail is kept (it is evidence, and the hub may not hold all of it yet) and records the wipe.
import { openAuditLog, wipeEntry } from '../../audit/index.js';
import { vaultExists, wipeVault } from '../../vault/index.js';
import { dataOption, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

export const wipeCommand: CliCommand = {
  summary: 'crypto-erase the vault: destroy its key, then delete its files (the audit trail stays)',
  options: { ...dataOption },
  async run(values, io) {
    const { dataDir, logger, custodian } = workstationFrom(values);
    const hadVault = vaultExists(dataDir);
    let failure: unknown;
    try {
      await wipeVault({ dataDir, custodian, logger });
    } catch (error) {
      failure = error;
    }
    if (hadVault) {
      const audit = await openAuditLog({ dataDir, custodian, logger });
      try {
        audit.record({ ...wipeEntry('cli'), ...(failure === undefined ? {} : { outcome: 'serious-failure' as const }) });
      } finally {
        audit.close();
      }
    }
    if (failure !== undefined) throw failure;
    logger.warn({ event: 'vault.wipe', hadVault }, 'vault wiped');
    io.out(
      hadVault
        ? `Wiped the vault in ${dataDir}: key destroyed, files deleted. The audit trail was kept and records the wipe.`
        : `No vault in ${dataDir}; any leftover key was destroyed.`,
    );
    return 0;
  },
};
