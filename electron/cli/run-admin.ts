// One admin command as a program runs it: `wardline <command>` under Node (bin/wardline.js, or the
// bundle itself) and `Wardline --admin <command>` in the app's own binary both come here. The
// command's output is flushed before the exit code is returned, so the caller may end the process.
import type { Writable } from 'node:stream';
import { toleratesClosedReader } from '../../shared/errors/index.js';
import { processIo, type CliIo } from './cli-io.js';
import { isKeystoreHung, useCustodianSource, type CustodianSource } from './commands/workstation.js';
import { runCli } from './run-cli.js';

export interface AdminOptions {
  readonly io?: CliIo;
  /** The keystore of the host running the command; keytar (the OS keystore from Node) by default. */
  readonly custodianFor?: CustodianSource;
}

function flushed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0) resolve();
    else stream.write('', () => resolve());
  });
}

/** Runs one admin command; resolves to the exit code once stdout and stderr are written out. */
export async function runAdmin(argv: readonly string[], options: AdminOptions = {}): Promise<number> {
  useCustodianSource(options.custodianFor ?? null);
  toleratesClosedReader(process.stdout);
  toleratesClosedReader(process.stderr);
  let exitCode: number;
  try {
    exitCode = await runCli(argv, options.io ?? processIo);
  } finally {
    useCustodianSource(null);
  }
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  if (isKeystoreHung()) {
    // A keystore call that timed out is stuck in an OS thread, which would keep the process alive
    // (even process.exit waits for the thread pool). The error has been printed: end at once.
    process.kill(process.pid, 'SIGKILL');
  }
  return exitCode;
}
