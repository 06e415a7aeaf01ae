import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireSyncLock, SYNC_LOCK_FILE } from './sync-lock.js';
import { isSyncError } from './sync-error.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-lock-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The PID of a process that has ended. */
function deadPid(): number {
  const run = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(run.stdout);
}

describe('sync lock', () => {
  it('lets one sync in and keeps a second one out while the first holds the lock', () => {
    const dir = dataDir();
    const held = acquireSyncLock(dir, 60_000);
    expect(() => acquireSyncLock(dir, 60_000)).toThrow(expect.objectContaining({ code: 'SYNC_BUSY' }));
    held.release();
    expect(existsSync(join(dir, SYNC_LOCK_FILE))).toBe(false);
    acquireSyncLock(dir, 60_000).release();
  });

  it('says the data folder is unavailable, with a code IT can act on, when the folder is gone or its lock cannot be read', () => {
    const gone = join(dataDir(), 'replaced');
    expect(() => acquireSyncLock(gone, 60_000)).toThrow(expect.objectContaining({ code: 'DATA_FOLDER_UNAVAILABLE' }));
    const dir = dataDir();
    mkdirSync(join(dir, SYNC_LOCK_FILE));
    expect(() => acquireSyncLock(dir, 60_000)).toThrow(expect.objectContaining({ code: 'DATA_FOLDER_UNAVAILABLE' }));
  });

  it('takes over the lock of a process that died (kill -9) without releasing it', () => {
    const dir = dataDir();
    writeFileSync(join(dir, SYNC_LOCK_FILE), JSON.stringify({ pid: deadPid(), nonce: 'crashed', leaseUntil: Date.now() + 60_000 }));
    const held = acquireSyncLock(dir, 60_000);
    expect(JSON.parse(readFileSync(join(dir, SYNC_LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid });
    held.release();
  });

  it('takes over a lock whose lease ran out, and one left empty by a crash while it was written', () => {
    const dir = dataDir();
    writeFileSync(join(dir, SYNC_LOCK_FILE), JSON.stringify({ pid: process.ppid, nonce: 'stuck', leaseUntil: Date.now() - 1 }));
    acquireSyncLock(dir, 60_000).release();
    writeFileSync(join(dir, SYNC_LOCK_FILE), '');
    acquireSyncLock(dir, 60_000).release();
  });

  it('keeps the lock of a live process with a valid lease, and renewing does not let anyone in', () => {
    const dir = dataDir();
    let now = 1_000_000;
    const held = acquireSyncLock(dir, 10_000, () => now);
    now += 8_000;
    held.renew();
    now += 8_000;
    const error = (() => {
      try {
        acquireSyncLock(dir, 10_000, () => now);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(isSyncError(error, 'SYNC_BUSY')).toBe(true);
    held.release();
  });

  it('never removes a lock another process took over', () => {
    const dir = dataDir();
    const held = acquireSyncLock(dir, 60_000);
    writeFileSync(join(dir, SYNC_LOCK_FILE), JSON.stringify({ pid: process.ppid, nonce: 'someone-else', leaseUntil: Date.now() + 60_000 }));
    held.release();
    expect(JSON.parse(readFileSync(join(dir, SYNC_LOCK_FILE), 'utf8'))).toMatchObject({ nonce: 'someone-else' });
  });
});
