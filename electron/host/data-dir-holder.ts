// Which process runs on a data folder: a running host holds `<dataDir>/host.lock` (its PID, a
// random nonce and who it is, created exclusively) from start to close, and so does every CLI
// command that writes the folder (wipe, rekey, enroll, sync, audit upload, the demo) while it
// runs: each refuses while another holds it. A lock whose process is gone (a crash) is stale: it
// is taken over by the next holder and ignored by the check.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLockFileExclusive as createExclusive,
  isProcessAlive as isAlive,
  readLockFile,
  takeOverStaleLock,
} from '../lock-files/index.js';
import { HostError } from './host-error.js';

export const HOST_LOCK_FILE = 'host.lock';

interface HolderContent {
  readonly pid: number;
  readonly nonce: string;
  readonly since: string;
  /** Who holds it: "Wardline" (the running host) or the CLI command ("wardline sync"). */
  readonly by?: string;
}

/** The running host's name in a lock (and in the refusal a CLI command gets). */
const HOST_HOLDER = 'Wardline';

export interface DataDirHold {
  release(): void;
}

const readHolder = (file: string): HolderContent | null => readLockFile<HolderContent>(file, (parsed) => typeof parsed.since === 'string');

function inUse(dataDir: string, holder: HolderContent): HostError {
  const by = holder.by ?? HOST_HOLDER;
  const advice = by === HOST_HOLDER ? 'Close it first' : 'Wait for it to finish';
  return new HostError(
    'DATA_DIR_IN_USE',
    `${by} is running on ${dataDir} (process ${holder.pid}, since ${holder.since}). ${advice}; nothing was changed.`,
  );
}

/** The live process holding `dataDir`, or null (no lock, or a stale one). */
export function dataDirHolder(dataDir: string): { pid: number; since: string; by: string } | null {
  const holder = readHolder(join(dataDir, HOST_LOCK_FILE));
  if (holder === null || !isAlive(holder.pid)) return null;
  return { pid: holder.pid, since: holder.since, by: holder.by ?? HOST_HOLDER };
}

/** Throws DATA_DIR_IN_USE when a live holder (this process or another) holds `dataDir`. */
export function assertDataDirFree(dataDir: string): void {
  const holder = readHolder(join(dataDir, HOST_LOCK_FILE));
  if (holder !== null && isAlive(holder.pid)) throw inUse(dataDir, holder);
}

/**
 * Takes `dataDir` (which must exist) for this process, or throws DATA_DIR_IN_USE when a live
 * process holds it. `by` names the holder in others' refusals (default: the running host).
 */
export function holdDataDir(dataDir: string, options: { by?: string; now?: () => Date } = {}): DataDirHold {
  const file = join(dataDir, HOST_LOCK_FILE);
  const now = options.now ?? (() => new Date());
  const mine: HolderContent = { pid: process.pid, nonce: randomUUID(), since: now().toISOString(), by: options.by ?? HOST_HOLDER };
  if (!createExclusive(file, mine)) {
    const holder = readHolder(file);
    if (holder !== null && isAlive(holder.pid)) throw inUse(dataDir, holder);
    // Stale (its process is gone, or the file is torn): taken over under a guard, and only if it is
    // still the one read, so two processes finding it stale never both hold the folder.
    const stale = (current: HolderContent | null): boolean => current === null || !isAlive(current.pid);
    if (!takeOverStaleLock(file, { stale: holder, read: () => readHolder(file), isStale: stale, mine })) {
      throw inUse(dataDir, readHolder(file) ?? mine);
    }
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (readHolder(file)?.nonce === mine.nonce) rmSync(file, { force: true });
    },
  };
}
