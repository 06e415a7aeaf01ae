// The one-time enrollment token IT stages beside the machine policy (issue 16): where it lives on
// each platform, reading it, and deleting it once it is spent. It sits in a folder of its own under
// the machine folder, so IT can let the workstation's users delete the token without letting them
// touch the policy.
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { machineFolder } from './policy-files.js';
import { PolicyError } from './policy-error.js';

export const ENROLLMENT_FOLDER_NAME = 'enrollment';
export const ENROLLMENT_TOKEN_FILE_NAME = 'token';
/** The largest token file read (a hub token is 43 characters; anything far larger is not one). */
const MAX_TOKEN_FILE_BYTES = 4096;

/** The machine-wide enrollment token file: `<machine folder>/enrollment/token`. */
export function machineEnrollmentTokenPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  return (platform === 'win32' ? path.win32 : path.posix).join(
    machineFolder(platform, env),
    ENROLLMENT_FOLDER_NAME,
    ENROLLMENT_TOKEN_FILE_NAME,
  );
}

/**
 * The token file to read: the machine-wide one, except that a development build (not packaged)
 * may point elsewhere with WARDLINE_ENROLLMENT_TOKEN, as it may for the policy with WARDLINE_POLICY.
 */
export function enrollmentTokenLocation(options: { packaged: boolean; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv }): string {
  const env = options.env ?? process.env;
  if (!options.packaged && env.WARDLINE_ENROLLMENT_TOKEN) return path.resolve(env.WARDLINE_ENROLLMENT_TOKEN);
  return machineEnrollmentTokenPath(options.platform, env);
}

/** The token in `file` (surrounding white space removed), or null when there is no such file. */
export async function readEnrollmentToken(file: string): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new PolicyError(
      'ENROLLMENT_TOKEN_UNREADABLE',
      `The enrollment token at ${file} cannot be read (${code ?? 'error'}). Ask IT to check the file and its permissions.`,
      { cause: error },
    );
  }
  if (bytes.length > MAX_TOKEN_FILE_BYTES) {
    throw new PolicyError(
      'ENROLLMENT_TOKEN_UNREADABLE',
      `The file at ${file} is not an enrollment token (it is far too large). Ask IT to stage a new token from the hub (wardline-hub token --ward W).`,
    );
  }
  return bytes.toString('utf8').trim();
}

/** Deletes the spent token; false when it could not be deleted (the caller says so to IT). */
export async function removeEnrollmentToken(file: string): Promise<boolean> {
  try {
    await unlink(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}
