// The pieces every PID lock file of a data folder is made of: whether its process still runs, its
// JSON content read back (null when absent, torn or of another shape), an exclusive create, and the
// guarded takeover of a stale lock.
import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';

/** True while process `pid` exists (EPERM: it exists under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock file's JSON content when it has a numeric `pid`, a string `nonce` and passes `isShaped`; else null. */
export function readLockFile<T extends { readonly pid: number; readonly nonce: string }>(
  file: string,
  isShaped: (parsed: Record<string, unknown>) => boolean,
): T | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    if (typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' && isShaped(parsed)) return parsed as unknown as T;
    return null;
  } catch {
    return null;
  }
}

/**
 * Creates `file` with `content` as JSON, mode 0600, only if it does not exist (false then). The
 * content is written to a private file first and then linked in under the lock's name, so the lock
 * never exists empty: another process reading it between the create and the write would take an
 * empty lock for a torn, stale one and take it over while its creator also believes it holds it.
 * Not flushed: after a power cut an empty or torn lock file reads as stale and is taken over.
 */
export function createLockFileExclusive(file: string, content: object): boolean {
  const draft = `${file}.${process.pid}.${randomUUID()}.draft`;
  writeFileSync(draft, JSON.stringify(content), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createThenWrite(file, content);
    throw error;
  } finally {
    rmSync(draft, { force: true });
  }
}

/** For a file system without hard links: an exclusive create, then the content. */
function createThenWrite(file: string, content: object): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(content));
  } finally {
    closeSync(fd);
  }
  return true;
}

const TAKEOVER_SUFFIX = '.takeover';
/** A takeover guard older than this was left by a process that died mid-takeover. */
const STALE_TAKEOVER_MS = 10_000;

export interface StaleLockTakeover<T extends { readonly nonce: string }> {
  /** The stale content this process read (null: unreadable). */
  readonly stale: T | null;
  /** Reads the lock again. */
  readonly read: () => T | null;
  /** Whether a content read again is still stale (its process gone, its lease run out…). */
  readonly isStale: (current: T | null) => boolean;
  /** The content this process writes when it takes the lock over. */
  readonly mine: object;
  readonly now?: () => number;
}

/**
 * Replaces the stale lock `file` with this process's content, under a short-lived guard file
 * (`<file>.takeover`, created exclusively), so two processes that both found it stale never both
 * take it over: without the guard, the second could remove the lock the first had just created.
 * False when another process is taking it over, or has taken it over already.
 */
export function takeOverStaleLock<T extends { readonly nonce: string }>(file: string, takeover: StaleLockTakeover<T>): boolean {
  const now = takeover.now ?? Date.now;
  const guard = `${file}${TAKEOVER_SUFFIX}`;
  if (!createLockFileExclusive(guard, takeover.mine)) {
    let age = 0;
    try {
      age = now() - statSync(guard).mtimeMs;
    } catch {
      return false;
    }
    if (age < STALE_TAKEOVER_MS) return false;
    rmSync(guard, { force: true });
    if (!createLockFileExclusive(guard, takeover.mine)) return false;
  }
  try {
    const current = takeover.read();
    // Someone else took it over between our look and our guard: leave theirs alone.
    if (current?.nonce !== takeover.stale?.nonce || !takeover.isStale(current)) return false;
    rmSync(file, { force: true });
    return createLockFileExclusive(file, takeover.mine);
  } finally {
    rmSync(guard, { force: true });
  }
}
