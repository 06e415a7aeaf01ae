// The pieces every PID lock file of a data folder is made of: whether its process still runs, its
// JSON content read back (null when absent, torn or of another shape), and an exclusive create.
import { randomUUID } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';

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
