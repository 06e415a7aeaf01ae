// `wardline enroll --hub URL --token T --pin SPKI [--data DIR]`: enrolls this workstation at the hub
// (device key into the OS keystore, public key to the hub) and records hub, pin, client id and ward
// in the vault, creating the vault for that ward when there is none.
import { enrollWorkstation, logAuditSink } from '../../sync/index.js';
import { CliError } from '../cli-error.js';
import { dataOption, stringValue, type CliCommand } from './command.js';
import { workstationFrom } from './workstation.js';

export const enrollCommand: CliCommand = {
  summary: 'enroll at the hub: --hub URL --token T --pin SPKI (device key into the OS keystore)',
  options: { ...dataOption, hub: { type: 'string' }, token: { type: 'string' }, pin: { type: 'string' } },
  async run(values, io) {
    const hub = stringValue(values, 'hub');
    const token = stringValue(values, 'token');
    const pin = stringValue(values, 'pin');
    if (!hub || !token || !pin)
      throw new CliError('USAGE', 'enroll needs --hub URL --token T --pin SPKI (the hub prints its pin and tokens)');
    const { dataDir, logger, custodian } = workstationFrom(values);
    const record = await enrollWorkstation({
      dataDir,
      custodian,
      logger,
      audit: logAuditSink(logger),
      hubUrl: hub,
      enrollmentToken: token,
      pin,
    });
    io.out(`Enrolled at ${record.hubUrl} for ward "${record.ward}" (client id ${record.clientId}); the device key is in the OS keystore.`);
    io.out(`Next: wardline sync --data ${dataDir}`);
    return 0;
  },
};
