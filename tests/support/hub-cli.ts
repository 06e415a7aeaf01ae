// Runs the hub's CLI in this process, as `wardline-hub <args>`, and returns its exit code and what it
// wrote on stdout and stderr. Its stdin is `stdin` (empty by default); `stop` stops a running `serve`
// (as Ctrl-C does in a terminal).
import { PassThrough, Readable } from 'node:stream';
import { runHubCli } from '../../server/cli/index.js';

export interface HubCliOptions {
  /** What the command reads on stdin (a password, a confirmation), '' by default. */
  readonly stdin?: string;
  /** Aborting it stops a running `serve`. */
  readonly stop?: AbortSignal;
}

export async function hubCli(args: string[], options: HubCliOptions = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runHubCli(args, {
    stdin: Readable.from([options.stdin ?? '']),
    stdout,
    stderr,
    ...(options.stop ? { stop: options.stop } : {}),
  });
  return { code, out, err };
}
