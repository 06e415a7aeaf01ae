// A password never comes from the command line (it would sit in shell history and `ps`): it is read
// from standard input (--password-stdin, first line) or typed at a hidden prompt, twice.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { HubCliError } from './hub-cli-error.js';

export interface PasswordSource {
  readonly input: Readable & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  readonly output: Writable;
}

async function firstLine(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function hiddenPrompt(source: PasswordSource, question: string): Promise<string> {
  return new Promise((resolvePassword) => {
    const rl = createInterface({ input: source.input, output: source.output, terminal: true });
    const writeOriginal = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    let prompted = false;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (!prompted) {
        prompted = true;
        writeOriginal.call(rl, s);
      }
    };
    rl.question(question, (answer) => {
      rl.close();
      source.output.write('\n');
      resolvePassword(answer);
    });
  });
}

export async function readPassword(source: PasswordSource, fromStdin: boolean): Promise<string> {
  if (fromStdin) {
    const password = await firstLine(source.input);
    if (!password) throw new HubCliError('PASSWORD_MISSING', 'No password arrived on standard input; pipe one line with the password.');
    return password;
  }
  if (!source.input.isTTY) {
    throw new HubCliError(
      'PASSWORD_MISSING',
      'Give the password on standard input with --password-stdin, or run the command in a terminal to be asked for it.',
    );
  }
  const first = await hiddenPrompt(source, 'Password: ');
  const second = await hiddenPrompt(source, 'Password again: ');
  if (first !== second) throw new HubCliError('PASSWORD_MISMATCH', 'The two passwords differ; nothing was changed. Run the command again.');
  if (!first) throw new HubCliError('PASSWORD_MISSING', 'The password is empty; nothing was changed.');
  return first;
}
