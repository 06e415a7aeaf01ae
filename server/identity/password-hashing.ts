// Staff passwords, hashed with argon2id.
//
// Parameters: memory 19 MiB (19456 KiB), 2 passes, parallelism 1 — the first OWASP Password Storage
// configuration for argon2id (about 80 ms per hash on a 2-core test machine). Chosen over RFC 9106's
// 64 MiB/3 passes/4 lanes because hashing runs on libuv's 4-thread pool, which the hub shares with
// WebCrypto (every token check): at a shift change many sign-ins arrive together, and a cheaper hash
// keeps token checks of other workstations from queueing behind them. The parameters are stored in
// each hash (PHC string), so raising them later re-hashes a password at its owner's next sign-in.
import argon2 from 'argon2';

export const ARGON2_OPTIONS = Object.freeze({
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export const MIN_PASSWORD_LENGTH = 8;

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password or an unreadable hash; never throws for either. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** True when `hash` was made with other parameters than ARGON2_OPTIONS. */
export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, ARGON2_OPTIONS);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time a real check would for an unknown username, so the answer's timing does not tell
 * which usernames exist.
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword(`not-a-user-${Math.random()}`);
  await verifyPassword(await dummyHash, password);
}
