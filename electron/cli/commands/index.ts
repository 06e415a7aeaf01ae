// The CLI's commands, by name.
import { auditCommand } from './audit.js';
import type { CliCommand } from './command.js';
import { demoCommand } from './demo.js';
import { enrollCommand } from './enroll.js';
import { initCommand } from './init.js';
import { policyCommand } from './policy.js';
import { rekeyCommand } from './rekey.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';
import { updateCommand } from './update.js';
import { wipeCommand } from './wipe.js';

export type { CliCommand } from './command.js';

export const commands: Record<string, CliCommand> = {
  init: initCommand,
  status: statusCommand,
  wipe: wipeCommand,
  rekey: rekeyCommand,
  enroll: enrollCommand,
  sync: syncCommand,
  demo: demoCommand,
  audit: auditCommand,
  policy: policyCommand,
  update: updateCommand,
};
