// Where the machine policy lives on each platform, and reading it together with the policy keys
// this installation trusts (wardline-trust.json, written into the app's resources at packaging).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { trustedKeyFromPem, type TrustedKey } from './ed25519-keys.js';
import type { WorkstationPolicy } from './policy-document.js';
import { PolicyError } from './policy-error.js';
import { verifyPolicyText } from './signed-policy.js';

export const POLICY_FILE_NAME = 'policy.json';
export const TRUST_FILE_NAME = 'wardline-trust.json';

/**
 * The machine-wide folder IT stages Wardline's files in (the policy, a one-time enrollment token):
 * writable by administrators only. Windows ProgramData\Wardline, macOS /Library/Application
 * Support/Wardline, Linux /etc/wardline.
 */
export function machineFolder(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.ProgramData ?? env.ALLUSERSPROFILE ?? 'C:\\ProgramData', 'Wardline');
    case 'darwin':
      return '/Library/Application Support/Wardline';
    default:
      return '/etc/wardline';
  }
}

/** The machine-wide policy file: writable by administrators only. */
export function machinePolicyPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  return (platform === 'win32' ? path.win32 : path.posix).join(machineFolder(platform, env), POLICY_FILE_NAME);
}

/**
 * The policy file to read: the machine-wide one, except that a development build (not packaged)
 * may point elsewhere with WARDLINE_POLICY. A packaged build never takes a path from the environment.
 */
export function policyFileLocation(options: { packaged: boolean; platform?: NodeJS.Platform; env?: NodeJS.ProcessEnv }): string {
  const env = options.env ?? process.env;
  if (!options.packaged && env.WARDLINE_POLICY) return path.resolve(env.WARDLINE_POLICY);
  return machinePolicyPath(options.platform, env);
}

const trustFileSchema = z.strictObject({
  policyKeys: z.array(z.string()).min(1),
  updateKeys: z.array(z.string()).default([]),
});

export interface TrustAnchors {
  readonly policyKeys: readonly TrustedKey[];
  readonly updateKeys: readonly TrustedKey[];
}

/** wardline-trust.json: the public keys (PEM) this installation accepts for policies and update manifests. */
export function parseTrustAnchors(text: string): TrustAnchors {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(
      'NO_TRUSTED_KEYS',
      `${TRUST_FILE_NAME} in Wardline's installation is not valid JSON. Ask IT to reinstall Wardline.`,
      { cause: error },
    );
  }
  const parsed = trustFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new PolicyError(
      'NO_TRUSTED_KEYS',
      `${TRUST_FILE_NAME} in Wardline's installation lists no policy key. Ask IT to reinstall Wardline built with the organisation's policy key.`,
    );
  }
  return { policyKeys: parsed.data.policyKeys.map(trustedKeyFromPem), updateKeys: parsed.data.updateKeys.map(trustedKeyFromPem) };
}

export async function readTrustAnchors(file: string): Promise<TrustAnchors> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PolicyError(
      'NO_TRUSTED_KEYS',
      `Wardline's installation has no ${TRUST_FILE_NAME}, so it trusts no policy key and will not start. Ask IT to reinstall Wardline built with the organisation's policy key.`,
      { cause: error },
    );
  }
  return parseTrustAnchors(text);
}

/** Reads and verifies the policy at `file`; a missing file is POLICY_MISSING (Wardline does not start without one). */
export async function readMachinePolicy(file: string, trustedKeys: readonly TrustedKey[]): Promise<WorkstationPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new PolicyError(
        'POLICY_MISSING',
        `There is no machine policy at ${file}, so Wardline will not start. Ask IT to deploy the organisation's signed policy.json there.`,
        { cause: error },
      );
    }
    throw new PolicyError(
      'POLICY_UNREADABLE',
      `The machine policy at ${file} cannot be read (${code ?? 'error'}). Ask IT to check the file and its permissions.`,
      { cause: error },
    );
  }
  return verifyPolicyText(text, trustedKeys, `The machine policy at ${file}`);
}

/**
 * wardline-trust.json: in a packaged build, in the app's resources folder (written at packaging,
 * covered by the code signature on macOS, admin-only under Program Files or /opt). A development
 * build reads WARDLINE_TRUST, else build/wardline-trust.json of the checkout.
 */
export function trustFileLocation(options: { packaged: boolean; resourcesPath: string; appPath: string; env?: NodeJS.ProcessEnv }): string {
  const env = options.env ?? process.env;
  if (options.packaged) return path.join(options.resourcesPath, TRUST_FILE_NAME);
  if (env.WARDLINE_TRUST) return path.resolve(env.WARDLINE_TRUST);
  return path.join(options.appPath, 'build', TRUST_FILE_NAME);
}
