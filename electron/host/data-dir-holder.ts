// Which process runs on a data folder: a running host holds `<dataDir>/host.lock` (its PID and a
// random nonce, created exclusively) from start to close. Commands that must not run under it
// (`wardline wipe`) check it first. A lock whose process is gone (a crash) is stale: it is taken
// over by the next host and ignored by the check.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createLockFileExclusive as createExclusive, isProcessAlive as isAlive, readLockFile } from '../lock-files/index.js';
import { HostError } from './host-error.js';

export const HOST_LOCK_FILE = 'host.lock';

interface HolderContent {
  readonly pid: number;
  readonly nonce: string;
  readonly since: string;
}

export interface DataDirHold {
  release(): void;
}

const readHolder = (file: string): HolderContent | null => readLockFile<HolderContent>(file, (parsed) => typeof parsed.since === 'string');

function inUse(dataDir: string, holder: HolderContent): HostError {
  return new HostError(
    'DATA_DIR_IN_USE',
    `Wardline is running on ${dataDir} (process ${holder.pid}, since ${holder.since}). Close it first; nothing was changed.`,
  );
}

/** The live process holding `dataDir`, or null (no lock, or a stale one). */
export function dataDirHolder(dataDir: string): { pid: number; since: string } | null {
  const holder = readHolder(join(dataDir, HOST_LOCK_FILE));
  if (holder === null || !isAlive(holder.pid)) return null;
  return { pid: holder.pid, since: holder.since };
}

/** Throws DATA_DIR_IN_USE when a running host (this process or another) holds `dataDir`. */
export function assertDataDirFree(dataDir: string): void {
  const holder = readHolder(join(dataDir, HOST_LOCK_FILE));
  if (holder !== null && isAlive(holder.pid)) throw inUse(dataDir, holder);
}

/** Takes `dataDir` for this host, or throws DATA_DIR_IN_USE when a live process holds it. */
export function holdDataDir(dataDir: string, now: () => Date = () => new Date()): DataDirHold {
  const file = join(dataDir, HOST_LOCK_FILE);
  const mine: HolderContent = { pid: process.pid, nonce: randomUUID(), since: now().toISOString() };
  if (!createExclusive(file, mine)) {
    const holder = readHolder(file);
    if (holder !== null && isAlive(holder.pid)) throw inUse(dataDir, holder);
    // Stale (its process is gone, or the file is torn): removed only if it is still the one read.
    const again = readHolder(file);
    if (again?.nonce !== holder?.nonce) throw inUse(dataDir, again ?? mine);
    rmSync(file, { force: true });
    if (!createExclusive(file, mine)) {
      const winner = readHolder(file);
      throw inUse(dataDir, winner ?? mine);
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
