// Where the hub key lives (never in the data folder, never in the database): a key file given with
// --key-file (mode 0600, outside the data folder), or else the OS keystore through keytar, under a
// name derived from the store (the data folder's path or the PostgreSQL URL). A development hub
// (serve --demo or --dev-tls) makes its own key file beside the data folder, `<data>.dev-key`.
//
// A rotation first saves the new key as pending (`<file>.next`, or `<name>.next` in the keystore),
// then re-encrypts, then promotes it; a hub started in between opens with whichever key fits.
import { createHash } from 'node:crypto';
import { open, readFile, rename, stat } from 'node:fs/promises';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import keytar from 'keytar';
import { HUB_KEY_BYTES, newHubKey, type HubKeyRing } from '../storage/index.js';
import { HubCliError } from './hub-cli-error.js';

export const KEYSTORE_SERVICE = 'Wardline Hub';
const KEYSTORE_TIMEOUT_MS = 10_000;

/** Where one hub key is kept: its current value and a pending one during a rotation. */
export interface HubKeyStore {
  /** For messages: the key file's path or "the OS keystore (name)". */
  readonly description: string;
  load(): Promise<Buffer | null>;
  loadPending(): Promise<Buffer | null>;
  /** Stores a new key; refuses when one exists (a key is never overwritten by mistake). */
  create(key: Buffer): Promise<void>;
  savePending(key: Buffer): Promise<void>;
  /** The pending key becomes the key. */
  promotePending(): Promise<void>;
}

function encode(key: Buffer): string {
  return `${key.toString('base64')}\n`;
}

function decode(text: string, where: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== HUB_KEY_BYTES || (!/^[0-9a-fA-F]{64}$/.test(trimmed) && key.toString('base64') !== trimmed)) {
    throw new HubCliError('KEY_INVALID', `${where} does not hold a hub key (32 bytes, base64 or hex); wardline-hub init-key makes one.`);
  }
  return key;
}

async function writeSecretFile(path: string, text: string, flag: 'wx' | 'w'): Promise<void> {
  const handle = await open(path, flag, 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class KeyFileStore implements HubKeyStore {
  readonly description: string;
  constructor(readonly path: string) {
    this.description = `key file ${path}`;
  }

  async load(): Promise<Buffer | null> {
    return this.#read(this.path);
  }

  async loadPending(): Promise<Buffer | null> {
    return this.#read(`${this.path}.next`);
  }

  async create(key: Buffer): Promise<void> {
    try {
      await writeSecretFile(this.path, encode(key), 'wx');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'EEXIST') {
        throw new HubCliError('KEY_EXISTS', `The key file ${this.path} exists already; it was left untouched.`);
      }
      throw new HubCliError('KEY_UNAVAILABLE', `The key file ${this.path} could not be written; check the folder ${dirname(this.path)}.`);
    }
  }

  async savePending(key: Buffer): Promise<void> {
    await writeSecretFile(`${this.path}.next`, encode(key), 'w');
  }

  async promotePending(): Promise<void> {
    await rename(`${this.path}.next`, this.path);
  }

  async #read(path: string): Promise<Buffer | null> {
    let mode: number;
    try {
      mode = (await stat(path)).mode;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return null;
      throw new HubCliError('KEY_UNAVAILABLE', `The key file ${path} cannot be read by the hub's account.`);
    }
    if ((mode & 0o077) !== 0) {
      throw new HubCliError(
        'KEY_FILE_UNSAFE',
        `The key file ${path} may be read by other accounts (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it and start again.`,
      );
    }
    return decode(await readFile(path, 'utf8'), `The key file ${path}`);
  }
}

async function keystoreCall<T>(work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), KEYSTORE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([work(), timeout]);
  } catch {
    throw new HubCliError(
      'KEY_UNAVAILABLE',
      'The OS keystore did not answer, so the hub key cannot be read. Check the Secret Service (Linux), the Keychain (macOS) or the Credential Manager (Windows), or give the key with --key-file FILE.',
    );
  } finally {
    clearTimeout(timer);
  }
}

export class KeystoreStore implements HubKeyStore {
  readonly description: string;
  constructor(readonly name: string) {
    this.description = `the OS keystore (service "${KEYSTORE_SERVICE}", name ${name})`;
  }

  async load(): Promise<Buffer | null> {
    return this.#read(this.name);
  }

  async loadPending(): Promise<Buffer | null> {
    return this.#read(`${this.name}.next`);
  }

  async create(key: Buffer): Promise<void> {
    if ((await this.load()) !== null) {
      throw new HubCliError('KEY_EXISTS', `A hub key is stored already in ${this.description}; it was left untouched.`);
    }
    await keystoreCall(() => keytar.setPassword(KEYSTORE_SERVICE, this.name, encode(key).trim()));
  }

  async savePending(key: Buffer): Promise<void> {
    await keystoreCall(() => keytar.setPassword(KEYSTORE_SERVICE, `${this.name}.next`, encode(key).trim()));
  }

  async promotePending(): Promise<void> {
    const pending = await this.loadPending();
    if (pending === null) return;
    await keystoreCall(() => keytar.setPassword(KEYSTORE_SERVICE, this.name, encode(pending).trim()));
    await keystoreCall(() => keytar.deletePassword(KEYSTORE_SERVICE, `${this.name}.next`));
  }

  async #read(name: string): Promise<Buffer | null> {
    const text = await keystoreCall(() => keytar.getPassword(KEYSTORE_SERVICE, name));
    return text === null ? null : decode(text, `The OS keystore entry ${name}`);
  }
}

export interface KeySourceOptions {
  readonly keyFile?: string | undefined;
  readonly postgres?: string | undefined;
}

/** The keystore name of a store's hub key: `hub-` and 24 hex digits of SHA-256 over its identity. */
export function keystoreNameFor(dataDir: string, postgresUrl: string | undefined): string {
  const identity = postgresUrl === undefined ? `sqlite:${resolve(dataDir)}` : `postgres:${postgresUrl}`;
  return `hub-${createHash('sha256').update(identity, 'utf8').digest('hex').slice(0, 24)}`;
}

/** The development key file of a data folder: beside it, never in it. */
export function devKeyFileOf(dataDir: string): string {
  return `${resolve(dataDir)}.dev-key`;
}

function insideFolder(file: string, folder: string): boolean {
  const rel = relative(resolve(folder), resolve(file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The key store a command uses: --key-file, else the OS keystore. */
export function keyStoreFor(options: KeySourceOptions, dataDir: string): HubKeyStore {
  if (options.keyFile !== undefined) {
    if (insideFolder(options.keyFile, dataDir)) {
      throw new HubCliError(
        'KEY_FILE_UNSAFE',
        'The key file must not be inside the data folder (a copy of the folder would carry its own key); keep it elsewhere.',
      );
    }
    return new KeyFileStore(resolve(options.keyFile));
  }
  return new KeystoreStore(keystoreNameFor(dataDir, options.postgres));
}

export interface LoadedHubKey {
  readonly ring: HubKeyRing;
  readonly store: HubKeyStore;
  readonly pending: boolean;
}

const NO_KEY = 'The hub keeps its database and secrets encrypted with a key held outside the data folder, and none was found in';

/**
 * The hub key of a command. `dev`: a development hub makes its own key file beside the data folder
 * when none is given. `allowDevKey`: admin commands use that file when no other key exists.
 */
export async function loadHubKey(
  options: KeySourceOptions,
  dataDir: string,
  mode: { readonly dev: boolean; readonly allowDevKey: boolean },
): Promise<LoadedHubKey> {
  let store = mode.dev && options.keyFile === undefined ? new KeyFileStore(devKeyFileOf(dataDir)) : keyStoreFor(options, dataDir);
  let current = await store.load();
  if (current === null && mode.dev && store instanceof KeyFileStore) {
    // Two development hubs starting together on one folder: the second finds the first one's key.
    await store.create(newHubKey()).catch((error: unknown) => {
      if (!(error instanceof HubCliError) || error.code !== 'KEY_EXISTS') throw error;
    });
    current = await store.load();
  }
  if (current === null && mode.allowDevKey && options.keyFile === undefined) {
    const dev = new KeyFileStore(devKeyFileOf(dataDir));
    const devKey = await dev.load();
    if (devKey !== null) {
      store = dev;
      current = devKey;
    }
  }
  if (current === null) {
    throw new HubCliError(
      'KEY_MISSING',
      `${NO_KEY} ${store.description}. Create one with "wardline-hub init-key" (OS keystore) or "wardline-hub init-key --key-file FILE" (mode 0600, outside the data folder), then start with the same options.`,
    );
  }
  const pending = await store.loadPending();
  return { ring: { current, others: pending === null ? [] : [pending] }, store, pending: pending !== null };
}
