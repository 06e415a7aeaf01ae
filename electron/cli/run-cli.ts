// Parses argv, dispatches to one command, and turns any failure into one line on stderr.
import { parseArgs } from 'node:util';
import { CliError } from './cli-error.js';
import { processIo, type CliIo } from './cli-io.js';
import { commands, type CliCommand } from './commands/index.js';
import { describeFailure } from './describe-failure.js';
import { holdForCommand } from './commands/workstation.js';

const USAGE = [
  'usage: wardline <command> [options]',
  '',
  'commands:',
  ...Object.entries(commands).map(([name, command]) => `  ${name.padEnd(8)} ${command.summary}`),
  '',
  'common options:',
  '  --data DIR   the data directory (default: $WARDLINE_DATA, else the per-user app data folder)',
  '  --json       machine-readable output, where the command has it',
].join('\n');

/** Runs one CLI invocation; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command: CliCommand | undefined = Object.hasOwn(commands, name) ? commands[name] : undefined;
  try {
    if (!command) throw new CliError('UNKNOWN_COMMAND', `unknown command "${name}" (try: wardline help)`);
    let args = rest;
    let subcommand: string | undefined;
    if (command.subcommands) {
      [subcommand, ...args] = rest;
      if (subcommand === undefined || !command.subcommands.includes(subcommand)) {
        throw new CliError('USAGE', `wardline ${name} needs one of: ${command.subcommands.join(', ')} (try: wardline help)`);
      }
    }
    let parsed;
    try {
      parsed = parseArgs({ args: [...args], options: command.options, allowPositionals: false, strict: true });
    } catch (error) {
      throw new CliError('USAGE', `${(error as Error).message.split('\n')[0]} (try: wardline help)`);
    }
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const hold = holdForCommand(name, command, values, subcommand);
    try {
      return await command.run(values, io, subcommand);
    } finally {
      hold?.release();
    }
  } catch (error) {
    const failure = describeFailure(error);
    io.err(`wardline ${name}: ${failure.message}`);
    return failure.exitCode;
  }
}
