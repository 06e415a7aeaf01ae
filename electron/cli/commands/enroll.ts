// `wardline enroll --hub URL --token T --pin SPKI [--data DIR]`: enrolls this workstation at the hub
// (device key into the OS keystore, public key to the hub) and records hub, pin, client id and ward
// in the vault, creating the vault for that ward when there is none. The enrollment (and a pin
// mismatch met on the way) goes into the audit trail.
import { openAuditLog, syncAuditSink } from '../../audit/index.js';
import { enrollWorkstation, type SyncAuditEvent } from '../../sync/index.js';
import { CliError } from '../cli-error.js';
import { dataOption, stringValue, type CliCommand } from './command.js';
import { workstationFrom, type Workstation } from './workstation.js';

export const enrollCommand: CliCommand = {
  summary: 'enroll at the hub: --hub URL --token T --pin SPKI (device key into the OS keystore)',
  writesDataDir: true,
  options: { ...dataOption, hub: { type: 'string' }, token: { type: 'string' }, pin: { type: 'string' } },
  async run(values, io) {
    const hub = stringValue(values, 'hub');
    const token = stringValue(values, 'token');
    const pin = stringValue(values, 'pin');
    if (!hub || !token || !pin)
      throw new CliError('USAGE', 'enroll needs --hub URL --token T --pin SPKI (the hub prints its pin and tokens)');
    const { dataDir, logger, custodian } = workstationFrom(values);
    // The data folder may not exist before enrollment: events are kept, then recorded once it does.
    const events: SyncAuditEvent[] = [];
    let record;
    try {
      record = await enrollWorkstation({
        dataDir,
        custodian,
        logger,
        audit: { record: (event) => void events.push(event) },
        hubUrl: hub,
        enrollmentToken: token,
        pin,
      });
    } finally {
      if (events.length > 0) await recordEvents(dataDir, custodian, logger, events);
    }
    io.out(`Enrolled at ${record.hubUrl} for ward "${record.ward}" (client id ${record.clientId}); the device key is in the OS keystore.`);
    io.out(`Next: wardline sync --data ${dataDir}`);
    return 0;
  },
};

async function recordEvents(
  dataDir: string,
  custodian: Workstation['custodian'],
  logger: Workstation['logger'],
  events: readonly SyncAuditEvent[],
): Promise<void> {
  const audit = await openAuditLog({ dataDir, custodian, logger });
  try {
    const sink = syncAuditSink(audit);
    for (const event of events) sink.record(event);
  } finally {
    audit.close();
  }
}
