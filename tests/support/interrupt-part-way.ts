// Stopping a command that rewrites a SQLite file under a rollback journal (rotate-keys, encrypt-database)
// part-way, as a power cut would: for crash tests of the hub database's re-encryption in place.
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';

/**
 * Starts a child process that rewrites `file` under a rollback journal (`start`) and kills it with
 * SIGKILL once `partWay()` says so; true when its journal is left, which is the interruption under
 * test. On a busy machine the kill can land after the child committed (its journal gone): that is a
 * finished run, so the file (with its write-ahead log, and `alsoRestore`: e.g. key files the command
 * changes; one absent at the start is removed) is put back as it was and the child run again.
 */
export async function interruptPartWay(
  file: string,
  start: () => ChildProcess,
  partWay: () => boolean,
  alsoRestore: readonly string[] = [],
): Promise<boolean> {
  // The file as it was, with its write-ahead log if it has one (an old hub's last commit may be there).
  const parts = [file, `${file}-wal`, ...alsoRestore];
  const existed = parts.filter((path) => existsSync(path));
  for (const path of existed) copyFileSync(path, `${path}.pristine`);
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      if (attempt > 0) {
        for (const path of parts) {
          if (existed.includes(path)) copyFileSync(`${path}.pristine`, path);
          else rmSync(path, { force: true });
        }
      }
      const child = start();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      let killed = false;
      while (!killed && child.exitCode === null) {
        if (partWay()) killed = child.kill('SIGKILL');
        else await new Promise((resolve) => setImmediate(resolve));
      }
      await exited;
      if (killed && existsSync(`${file}-journal`)) return true;
      for (const leftover of ['-journal', '-wal', '-shm']) rmSync(`${file}${leftover}`, { force: true });
    }
    return false;
  } finally {
    for (const path of existed) rmSync(`${path}.pristine`, { force: true });
  }
}
