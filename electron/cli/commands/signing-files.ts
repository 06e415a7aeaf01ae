// Reading and writing the files of `wardline policy` and `wardline update`: key pairs (the private
// key 0600 and never overwritten), JSON drafts, signed outputs.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSigningKeyPair, signingKeyFromPem, trustedKeyFromPem, type SigningKeyPair, type TrustedKey } from '../../policy/index.js';
import type { KeyObject } from 'node:crypto';
import { CliError } from '../cli-error.js';

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError('USAGE', `cannot read ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export async function readJsonFile(file: string, what: string): Promise<unknown> {
  const text = await readText(file, what);
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError('USAGE', `${what} ${file} is not valid JSON`);
  }
}

export async function readPrivateKey(file: string): Promise<KeyObject> {
  return signingKeyFromPem(await readText(file, 'the signing key'));
}

export async function readPublicKey(file: string): Promise<TrustedKey> {
  return trustedKeyFromPem(await readText(file, 'the public key'));
}

/** Writes `<dir>/<name>.key` (0600) and `<dir>/<name>.pub`; refuses to overwrite either. */
export async function writeKeyPair(dir: string, name: string): Promise<{ pair: SigningKeyPair; privateFile: string; publicFile: string }> {
  const pair = generateSigningKeyPair();
  const privateFile = path.join(dir, `${name}.key`);
  const publicFile = path.join(dir, `${name}.pub`);
  try {
    await writeFile(privateFile, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
    await writeFile(publicFile, pair.publicKeyPem, { mode: 0o644, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      'USAGE',
      code === 'EEXIST'
        ? `a key pair named ${name} already exists in ${dir}; it was left untouched`
        : `cannot write the key pair into ${dir} (${code ?? 'error'})`,
    );
  }
  return { pair, privateFile, publicFile };
}

export async function writeOutput(file: string, text: string, what: string): Promise<void> {
  try {
    await writeFile(file, text, { mode: 0o644 });
  } catch (error) {
    throw new CliError('USAGE', `cannot write ${what} ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
