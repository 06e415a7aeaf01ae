// What every command needs to reach this workstation's data: the data directory, the log, and
// the OS keystore (the Node adapter of the KeyCustodian port).
import { existsSync } from 'node:fs';
import { createHostLogger, holdDataDir, resolveDataDir, type DataDirHold, type HostLogger } from '../../host/index.js';
import { KeytarCustodian, type KeyCustodian } from '../../vault/index.js';
import { stringValue, type CliCommand, type CliValues } from './command.js';

export interface Workstation {
  readonly dataDir: string;
  readonly logger: HostLogger;
  readonly custodian: KeyCustodian;
}

const custodians: KeytarCustodian[] = [];

/** The keystore a host other than plain Node provides (Electron's safeStorage for `Wardline --admin`). */
export type CustodianSource = (dataDir: string) => KeyCustodian;
let custodianSource: CustodianSource | null = null;

/** Sets (or, with null, clears) the keystore the commands use instead of keytar; for runAdmin. */
export function useCustodianSource(source: CustodianSource | null): void {
  custodianSource = source;
}

/** The OS keystore for this CLI run; remembered so a hung keystore can be detected at exit. */
export function cliCustodian(): KeyCustodian {
  const custodian = new KeytarCustodian();
  custodians.push(custodian);
  return custodian;
}

/**
 * Whether a keystore call timed out during this run. Such a call stays stuck in an OS thread and
 * keeps the process from exiting, so the CLI ends itself once it has printed the error.
 */
export function isKeystoreHung(): boolean {
  return custodians.some((custodian) => custodian.isHung);
}

export function workstationFrom(values: CliValues): Workstation {
  const dataDir = resolveDataDir(stringValue(values, 'data'));
  return { dataDir, logger: createHostLogger(dataDir), custodian: custodianSource?.(dataDir) ?? cliCustodian() };
}

/**
 * Holds the data folder for a command that writes it (see CliCommand.writesDataDir), or throws
 * DATA_DIR_IN_USE while Wardline or another command holds it. Null when the command does not
 * write, or when the folder does not exist yet (no host can run there).
 */
export function holdForCommand(name: string, command: CliCommand, values: CliValues, subcommand?: string): DataDirHold | null {
  const writes = command.writesDataDir;
  if (writes === undefined || writes === false) return null;
  if (writes !== true && (subcommand === undefined || !writes.includes(subcommand))) return null;
  const dataDir = resolveDataDir(stringValue(values, 'data'));
  if (!existsSync(dataDir)) return null;
  return holdDataDir(dataDir, { by: `wardline ${subcommand === undefined ? name : `${name} ${subcommand}`}` });
}
