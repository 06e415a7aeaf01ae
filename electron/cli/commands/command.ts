// The shape of one CLI command: its options (node:util parseArgs) and what it runs.
import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from '../cli-io.js';

export type CliValues = Record<string, string | boolean | undefined>;

export interface CliCommand {
  readonly summary: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** When set, the first argument must be one of these (e.g. `wardline audit verify`); it is passed to run. */
  readonly subcommands?: readonly string[];
  /**
   * Whether the command writes the data folder (true, or the subcommands that do): it then holds
   * the folder (host.lock) while it runs, and refuses while Wardline or another command holds it.
   */
  readonly writesDataDir?: boolean | readonly string[];
  run(values: CliValues, io: CliIo, subcommand?: string): Promise<number>;
}

export const dataOption = { data: { type: 'string' } } as const;

/** A string option's value, or undefined. */
export function stringValue(values: CliValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
