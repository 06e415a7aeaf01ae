// One sync at a time per data directory, across processes and crashes: a lock file
// (<dataDir>/sync.lock) holding the owner's PID, a random nonce and a lease renewed while the sync
// runs. It is created exclusively; a lock whose process is dead, or whose lease ran out, is taken
// over under a short-lived takeover file, so two processes never both take over the same stale lock.
import { randomUUID } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createLockFileExclusive as writeExclusive,
  isProcessAlive as isAlive,
  readLockFile,
  takeOverStaleLock,
} from '../lock-files/index.js';
import { SyncError } from './sync-error.js';

export const SYNC_LOCK_FILE = 'sync.lock';

interface LockContent {
  readonly pid: number;
  readonly nonce: string;
  readonly leaseUntil: number;
}

export interface HeldSyncLock {
  /** Pushes the lease out again (call while a long sync runs). */
  renew(): void;
  release(): void;
}

const readLock = (file: string): LockContent | null => readLockFile<LockContent>(file, (parsed) => typeof parsed.leaseUntil === 'number');

function isStale(content: LockContent | null, nowMs: number): boolean {
  // Unreadable: a crash between create and write. Else: its process is gone, or its lease ran out.
  return content === null || !isAlive(content.pid) || content.leaseUntil < nowMs;
}

/**
 * Takes the lock, or throws SyncError SYNC_BUSY when another live process holds it, and
 * DATA_FOLDER_UNAVAILABLE when the lock file cannot be written or read at all (the folder was
 * replaced, removed or made read-only under the running host): a code IT can act on.
 */
export function acquireSyncLock(dataDir: string, leaseMs: number, now: () => number = Date.now): HeldSyncLock {
  try {
    return takeSyncLock(dataDir, leaseMs, now);
  } catch (error) {
    if (error instanceof SyncError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new SyncError(
      'DATA_FOLDER_UNAVAILABLE',
      `The workstation's data folder cannot be used for sync (${code}). Ask IT to check the disk and the data folder; sync is tried again meanwhile.`,
      { cause: error },
    );
  }
}

function takeSyncLock(dataDir: string, leaseMs: number, now: () => number): HeldSyncLock {
  const file = join(dataDir, SYNC_LOCK_FILE);
  const mine: LockContent = { pid: process.pid, nonce: randomUUID(), leaseUntil: now() + leaseMs };
  if (!writeExclusive(file, mine)) {
    const holder = readLock(file);
    const takenOver =
      isStale(holder, now()) &&
      takeOverStaleLock(file, { stale: holder, read: () => readLock(file), isStale: (current) => isStale(current, now()), mine, now });
    if (!takenOver) {
      throw new SyncError('SYNC_BUSY', 'Another Wardline process on this workstation is syncing right now; this sync was skipped.');
    }
  }
  let released = false;
  return {
    renew() {
      if (released) return;
      const current = readLock(file);
      if (current?.nonce !== mine.nonce) return;
      // Replaced atomically: the lock file never disappears while it is held.
      const next = `${file}.${mine.nonce}`;
      writeFileSync(next, JSON.stringify({ ...mine, leaseUntil: now() + leaseMs }), { mode: 0o600 });
      renameSync(next, file);
    },
    release() {
      if (released) return;
      released = true;
      if (readLock(file)?.nonce === mine.nonce) rmSync(file, { force: true });
    },
  };
}
