// Runs the hub's CLI in this process, as `wardline-hub <args>` with an empty stdin, and returns its
// exit code and what it wrote on stdout and stderr.
import { PassThrough, Readable } from 'node:stream';
import { runHubCli } from '../../server/cli/index.js';

export async function hubCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await runHubCli(args, { stdin: Readable.from(['']), stdout, stderr });
  return { code, out, err };
}
