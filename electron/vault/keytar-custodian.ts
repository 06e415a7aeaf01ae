// KeyCustodian over the OS keystore through keytar (Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows). Used by the CLI, the tests, and anywhere Electron is absent.
// The key is stored base64-encoded under service "Wardline"; it never touches disk in the clear.
import keytar from 'keytar';
import type { KeyCustodian } from './key-custodian.js';
import { VaultError } from './vault-error.js';

export const KEYSTORE_SERVICE = 'Wardline';
const DEFAULT_TIMEOUT_MS = 10_000;

export interface KeytarCustodianOptions {
  /** How long a keystore call may take before it counts as unavailable (a hung Secret Service). */
  readonly timeoutMs?: number;
  /** Keystore service name; "Wardline" unless a deployment needs another. */
  readonly service?: string;
}

const ADVICE =
  'Ask IT to check the Secret Service (Linux: gnome-keyring or KWallet, unlocked), the Keychain ' +
  '(macOS) or the Credential Manager (Windows).';

export class KeytarCustodian implements KeyCustodian {
  readonly #timeoutMs: number;
  readonly #service: string;
  /** Calls that timed out and have not settled: while one hangs, new calls fail at once. */
  #hung = 0;

  constructor(options: KeytarCustodianOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#service = options.service ?? KEYSTORE_SERVICE;
  }

  /**
   * True while a keystore call that timed out is still stuck in the OS. Node cannot exit normally
   * until it returns (the call holds a libuv worker thread), so a CLI may end the process itself.
   */
  get isHung(): boolean {
    return this.#hung > 0;
  }

  async store(name: string, key: Buffer): Promise<void> {
    await this.#call('store', () => keytar.setPassword(this.#service, name, key.toString('base64')));
  }

  async load(name: string): Promise<Buffer | null> {
    const encoded = await this.#call('load', () => keytar.getPassword(this.#service, name));
    return encoded === null ? null : Buffer.from(encoded, 'base64');
  }

  async destroy(name: string): Promise<void> {
    await this.#call('destroy', () => keytar.deletePassword(this.#service, name));
  }

  async #call<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.#hung > 0) {
      throw new VaultError(
        'KEYSTORE_UNAVAILABLE',
        `The OS keystore is not answering (an earlier request is still waiting), so the chart cache key cannot be ${verbFor(operation)}. ${ADVICE}`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const pending = work();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        this.#hung += 1;
        reject(
          new VaultError(
            'KEYSTORE_UNAVAILABLE',
            `The OS keystore did not answer within ${Math.round(this.#timeoutMs / 1000)} s, so the chart cache key cannot be ${verbFor(operation)}. ${ADVICE}`,
          ),
        );
      }, this.#timeoutMs);
      timer.unref();
    });
    const settle = (): void => {
      if (timedOut) this.#hung -= 1;
    };
    pending.then(settle, settle);
    try {
      return await Promise.race([pending, timeout]);
    } catch (error) {
      if (error instanceof VaultError) throw error;
      throw new VaultError(
        'KEYSTORE_UNAVAILABLE',
        `The OS keystore refused the request (${describe(error)}), so the chart cache key cannot be ${verbFor(operation)}. ${ADVICE}`,
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A keytar-backed custodian with the default timeout. */
export function createKeytarCustodian(options: KeytarCustodianOptions = {}): KeyCustodian {
  return new KeytarCustodian(options);
}

function verbFor(operation: string): string {
  return operation === 'store' ? 'stored' : operation === 'load' ? 'read' : 'removed';
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 160 ? `${message.slice(0, 160)}…` : message;
}
