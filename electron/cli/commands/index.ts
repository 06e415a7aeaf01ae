// The CLI's commands, by name.
import type { CliCommand } from './command.js';
import { demoCommand } from './demo.js';
import { initCommand } from './init.js';
import { statusCommand } from './status.js';
import { wipeCommand } from './wipe.js';

export type { CliCommand } from './command.js';

export const commands: Record<string, CliCommand> = {
  init: initCommand,
  status: statusCommand,
  wipe: wipeCommand,
  demo: demoCommand,
};
