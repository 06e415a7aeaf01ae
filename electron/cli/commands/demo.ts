// `wardline demo [--data DIR] [--patients N] [--renderer DIR] [--hub-port P] [--port P]`: the whole
// of Wardline on this machine (issue 7) — the demo hub with a synthetic ward, this workstation
// enrolled at it and synced, and its window served to the system browser over loopback, at a
// one-time address it prints with the demo accounts. Ctrl-C stops everything.
// `wardline demo --vault-only` keeps the older, offline demo: a vault filled and read back.
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { CliIo } from '../cli-io.js';
import { CliError } from '../cli-error.js';
import { repositoryFile } from '../repository-files.js';
import { stringValue, type CliCommand, type CliValues } from './command.js';
import type { DemoAccount } from './demo-hub.js';
import { startDemoStack, type DemoStack } from './demo-stack.js';
import { positiveInt, runVaultDemo } from './demo-vault.js';

export const DEFAULT_DEMO_DIR = '.wardline-data/demo-stack';

function portOption(values: CliValues, name: string): number {
  const raw = stringValue(values, name);
  if (raw === undefined) return 0;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535)
    throw new CliError('USAGE', `--${name} must be a port number from 0 to 65535 (0: any free port)`);
  return Number(raw);
}

function accountLine(account: DemoAccount): string {
  const totp = account.totpSecret ? `  TOTP secret: ${account.totpSecret}` : '';
  return `  ${account.username.padEnd(11)} ${account.role.padEnd(10)} password: ${account.password}${totp}`;
}

function printStarted(stack: DemoStack, io: CliIo, started: number): void {
  const sync = stack.firstSync;
  io.out(`Demo hub:     ${stack.hub.url} (ward "${stack.hub.ward}", pin ${stack.hub.pin})`);
  io.out(`Workstation:  ${stack.workstationDir} (enrolled, policy ${stack.policyFile})`);
  io.out(
    `First sync:   ${sync.patients} patients on the ward, ${sync.written} resources in ${(sync.durationMs / 1000).toFixed(1)} s (${sync.state})`,
  );
  io.out(`Ready in ${((performance.now() - started) / 1000).toFixed(1)} s. Synthetic patients only.`);
  io.out('');
  io.out('Demo accounts (new passwords at each start):');
  for (const account of stack.hub.accounts) io.out(accountLine(account));
  io.out('');
  io.out('Open Wardline in your browser (this address works once; it opens one browser session):');
  io.out(`  ${stack.loopback.issueUrl()}`);
  io.out('');
  io.out('Press Enter for a new one-time address, Ctrl-C to stop the workstation and the hub.');
}

/** Resolves at Ctrl-C or SIGTERM; Enter prints a new one-time address meanwhile. */
function untilStopped(stack: DemoStack, io: CliIo): Promise<void> {
  return new Promise((resolveStopped) => {
    const lines = process.stdin.isTTY ? createInterface({ input: process.stdin }) : null;
    lines?.on('line', () => io.out(`  ${stack.loopback.issueUrl()}`));
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      lines?.close();
      resolveStopped();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const demoCommand: CliCommand = {
  summary:
    'the whole demo: hub, enrolled workstation, first sync, the app in your browser over loopback (--vault-only: just a filled vault)',
  options: {
    data: { type: 'string' },
    patients: { type: 'string' },
    days: { type: 'string' },
    renderer: { type: 'string' },
    'hub-port': { type: 'string' },
    port: { type: 'string' },
    'vault-only': { type: 'boolean' },
  },
  async run(values, io) {
    if (values['vault-only'] === true) return runVaultDemo(values, io);
    if (values.days !== undefined)
      throw new CliError('USAGE', "--days goes with --vault-only (the hub's demo ward keeps 30 days of history)");
    const started = performance.now();
    const stack = await startDemoStack({
      root: resolve(stringValue(values, 'data') ?? DEFAULT_DEMO_DIR),
      rendererDir: resolve(stringValue(values, 'renderer') ?? repositoryFile('renderer/dist') ?? 'renderer/dist'),
      patients: positiveInt(values, 'patients', 40, 200),
      hubPort: portOption(values, 'hub-port'),
      loopbackPort: portOption(values, 'port'),
      progress: (step) => io.out(step),
    });
    io.out('');
    try {
      printStarted(stack, io, started);
      await untilStopped(stack, io);
      io.out('Stopping: the workstation is signed out and crypto-erased, the hub shut down...');
    } finally {
      await stack.stop();
    }
    io.out('Demo stopped.');
    return 0;
  },
};
