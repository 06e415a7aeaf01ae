// What every command needs to reach this workstation's data: the data directory, the log, and
// the OS keystore (the Node adapter of the KeyCustodian port).
import { createHostLogger, resolveDataDir, type HostLogger } from '../../host/index.js';
import { createKeytarCustodian, type KeyCustodian } from '../../vault/index.js';
import { stringValue, type CliValues } from './command.js';

export interface Workstation {
  readonly dataDir: string;
  readonly logger: HostLogger;
  readonly custodian: KeyCustodian;
}

export function workstationFrom(values: CliValues): Workstation {
  const dataDir = resolveDataDir(stringValue(values, 'data'));
  return { dataDir, logger: createHostLogger(dataDir), custodian: createKeytarCustodian() };
}
