// The secrets of the loopback server: one-time tokens (each opens one browser session, once, within
// its lifetime) and the session secrets handed to the browser in a cookie. Only SHA-256 hashes are
// kept, and nothing here is ever logged.
import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url (43 characters). */
export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

const hashOf = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('base64url');
const SECRET_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface LoopbackSecretsOptions {
  /** How long an issued token may wait for its one use (null: until used or the server stops). */
  readonly tokenTtlMs: number | null;
  /** Browser sessions kept at most; the oldest is forgotten when another one starts. */
  readonly maxSessions: number;
  readonly now?: () => number;
}

export class LoopbackSecrets {
  readonly #tokens = new Map<string, number>();
  readonly #sessions = new Set<string>();
  readonly #options: LoopbackSecretsOptions;
  readonly #now: () => number;

  constructor(options: LoopbackSecretsOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** A new one-time token. */
  issueToken(): string {
    const token = randomSecret();
    const ttl = this.#options.tokenTtlMs;
    this.#tokens.set(hashOf(token), ttl === null ? Number.POSITIVE_INFINITY : this.#now() + ttl);
    return token;
  }

  /** True once for a token that was issued and has not expired; false ever after. */
  consumeToken(token: string): boolean {
    if (!SECRET_SHAPE.test(token)) return false;
    const key = hashOf(token);
    const expires = this.#tokens.get(key);
    if (expires === undefined) return false;
    this.#tokens.delete(key);
    return expires > this.#now();
  }

  /** Starts a browser session: the secret for its cookie. */
  startSession(): string {
    const secret = randomSecret();
    this.#sessions.add(hashOf(secret));
    while (this.#sessions.size > this.#options.maxSessions) {
      const oldest = this.#sessions.values().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    return secret;
  }

  isSession(secret: string | undefined): boolean {
    return secret !== undefined && SECRET_SHAPE.test(secret) && this.#sessions.has(hashOf(secret));
  }

  /** Forgets every token and session (the server is stopping). */
  clear(): void {
    this.#tokens.clear();
    this.#sessions.clear();
  }
}
