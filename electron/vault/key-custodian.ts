// The KeyCustodian port: where the vault's raw key is kept, wrapped by the operating system.
// Adapters: keytar-custodian.ts (OS keystore, Node) and electron/window/safe-storage-custodian.ts.

/** Keeps the vault key wrapped by the operating system; never writes it in the clear. */
export interface KeyCustodian {
  /** Stores a new key under `name`; fails if the OS keystore is unavailable. */
  store(name: string, key: Buffer): Promise<void>;
  /** The key, or null when none is stored under `name`. */
  load(name: string): Promise<Buffer | null>;
  destroy(name: string): Promise<void>;
}
