// `wardline status [--json] --data DIR`: what this workstation holds, as counts, never patient data.
import { openVault, vaultExists, VaultError } from '../../vault/index.js';
import { dataOption, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

export const statusCommand: CliCommand = {
  summary: 'show the vault: encryption, schema version, counts (no patient data)',
  options: { ...dataOption, json: { type: 'boolean' } },
  async run(values, io) {
    const { dataDir, logger, custodian } = workstationFrom(values);
    if (!vaultExists(dataDir)) {
      throw new VaultError('NOT_FOUND', `There is no vault in ${dataDir}. Create one with: wardline init --data ${dataDir}`);
    }
    const vault = await openVault({ dataDir, custodian, logger });
    let status;
    try {
      status = vault.status();
    } finally {
      vault.close();
    }
    const vaultStatus = {
      encrypted: status.encrypted,
      cipher: status.cipher,
      schemaVersion: status.schemaVersion,
      patients: status.patients,
      resources: status.resources,
      ward: status.ward,
    };
    if (values.json === true) {
      io.out(JSON.stringify({ vault: vaultStatus }));
    } else {
      io.out(`vault      ${dataDir}`);
      io.out(`encrypted  yes (${status.cipher}), schema version ${status.schemaVersion}`);
      io.out(`ward       ${status.ward ?? '(not set)'}`);
      io.out(`contents   ${status.patients} patients, ${status.resources} resources`);
    }
    return 0;
  },
};
