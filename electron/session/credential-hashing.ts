// argon2id verifiers for passwords (offline sign-in) and PINs (resuming a locked session), with
// the parameters this workstation uses. docs/security-sessions.md argues the numbers.
import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

export interface Argon2idParams {
  /** Memory in KiB. */
  readonly memoryKiB: number;
  /** Passes over the memory. */
  readonly timeCost: number;
  /** Lanes (threads). */
  readonly parallelism: number;
}

export interface CredentialHashing {
  readonly password: Argon2idParams;
  readonly pin: Argon2idParams;
}

/** RFC 9106's second recommended option (64 MiB, t=3, p=4): about 0.25 s on a 2-core workstation. */
export const PASSWORD_VERIFIER_PARAMS: Argon2idParams = Object.freeze({ memoryKiB: 64 * 1024, timeCost: 3, parallelism: 4 });

/** OWASP's argon2id baseline (19 MiB, t=2, p=1): under 0.1 s, for a secret that only resumes a live session. */
export const PIN_VERIFIER_PARAMS: Argon2idParams = Object.freeze({ memoryKiB: 19 * 1024, timeCost: 2, parallelism: 1 });

export const DEFAULT_CREDENTIAL_HASHING: CredentialHashing = Object.freeze({
  password: PASSWORD_VERIFIER_PARAMS,
  pin: PIN_VERIFIER_PARAMS,
});

/** An argon2id verifier (PHC string with its own random salt and parameters) of `secret`. */
export function createVerifier(secret: string, params: Argon2idParams): Promise<string> {
  return argon2.hash(secret, {
    type: argon2.argon2id,
    memoryCost: params.memoryKiB,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
  });
}

/** Whether `secret` matches `verifier`; false (never an exception) for a malformed verifier. */
export async function checkVerifier(verifier: string, secret: string): Promise<boolean> {
  try {
    return await argon2.verify(verifier, secret);
  } catch {
    return false;
  }
}

const dummyVerifiers = new Map<string, Promise<string>>();

/**
 * Spends the same argon2 work as checking a real verifier with `params`, and answers false: used
 * when the username is unknown, so timing does not tell which accounts this workstation knows.
 */
export async function checkAgainstDummy(secret: string, params: Argon2idParams): Promise<false> {
  const key = `${params.memoryKiB}/${params.timeCost}/${params.parallelism}`;
  let dummy = dummyVerifiers.get(key);
  if (dummy === undefined) {
    dummy = createVerifier(randomBytes(16).toString('hex'), params);
    dummyVerifiers.set(key, dummy);
  }
  await checkVerifier(await dummy, secret);
  return false;
}

/** Why a PIN is refused when set, or null when it is acceptable: 4–8 digits, not one repeated digit, not a run. */
export function pinProblem(pin: string): string | null {
  if (!/^\d{4,8}$/.test(pin)) return 'A PIN is 4 to 8 digits.';
  if (/^(\d)\1+$/.test(pin)) return 'A PIN cannot be one digit repeated.';
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((d, i) => d - digits[i]!);
  if (steps.every((s) => s === 1) || steps.every((s) => s === -1)) return 'A PIN cannot be a run of consecutive digits.';
  return null;
}
