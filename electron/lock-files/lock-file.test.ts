import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLockFileExclusive, readLockFile, takeOverStaleLock } from './lock-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const LOCK_FILE_MODULE = fileURLToPath(new URL('./lock-file.ts', import.meta.url));

describe('createLockFileExclusive', () => {
  it('creates the lock once, with its content, and refuses a second create', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-lock-file-'));
    dirs.push(dir);
    const file = join(dir, 'x.lock');
    expect(createLockFileExclusive(file, { pid: 1, nonce: 'a' })).toBe(true);
    expect(createLockFileExclusive(file, { pid: 2, nonce: 'b' })).toBe(false);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ pid: 1, nonce: 'a' });
  });

  it('never lets another process see the lock empty (it would take it for a torn, stale lock and take it over)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-lock-file-'));
    dirs.push(dir);
    const file = join(dir, 'x.lock');
    // Another process creates and removes the lock as fast as it can while this one reads it.
    const script = [
      `const { createLockFileExclusive } = await import(${JSON.stringify(LOCK_FILE_MODULE)});`,
      `const { rmSync } = await import('node:fs');`,
      `for (let i = 0; i < 1500; i++) { createLockFileExclusive(${JSON.stringify(file)}, { pid: process.pid, nonce: String(i) }); rmSync(${JSON.stringify(file)}); }`,
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: 'inherit' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let running = true;
    void exited.then(() => (running = false));
    let seen = 0;
    let empty = 0;
    while (running) {
      for (let i = 0; i < 2000; i++) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          continue;
        }
        seen++;
        if (text === '') empty++;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited).toBe(0);
    expect(seen).toBeGreaterThan(0);
    expect(empty).toBe(0);
    // No draft is left behind in the data folder.
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('takeOverStaleLock', () => {
  interface Content {
    readonly pid: number;
    readonly nonce: string;
  }
  function staleLock(): { file: string; stale: Content; takeover: (mine: Content) => boolean } {
    const dir = mkdtempSync(join(tmpdir(), 'wardline-lock-file-'));
    dirs.push(dir);
    const file = join(dir, 'x.lock');
    const stale = { pid: 1, nonce: 'stale' };
    writeFileSync(file, JSON.stringify(stale));
    const read = (): Content | null => readLockFile<Content>(file, () => true);
    // Both processes read the same stale lock before either acts.
    const takeover = (mine: Content): boolean => takeOverStaleLock(file, { stale, read, isStale: (c) => c?.nonce === 'stale', mine });
    return { file, stale, takeover };
  }
  const holder = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

  it('gives a stale lock to one of two processes that found it stale, never to both', () => {
    const { file, takeover } = staleLock();
    expect(takeover({ pid: 2, nonce: 'first' })).toBe(true);
    expect(takeover({ pid: 3, nonce: 'second' })).toBe(false);
    expect(holder(file)).toEqual({ pid: 2, nonce: 'first' });
    expect(readdirSync(join(file, '..'))).toEqual(['x.lock']);
  });

  it('leaves the lock alone while another process is taking it over (its guard is fresh), and clears a guard a dead takeover left', () => {
    const { file, takeover } = staleLock();
    writeFileSync(`${file}.takeover`, JSON.stringify({ pid: 4, nonce: 'midway' }));
    expect(takeover({ pid: 3, nonce: 'second' })).toBe(false);
    expect(holder(file)).toEqual({ pid: 1, nonce: 'stale' });
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(`${file}.takeover`, longAgo, longAgo);
    expect(takeover({ pid: 3, nonce: 'second' })).toBe(true);
    expect(holder(file)).toEqual({ pid: 3, nonce: 'second' });
    expect(readdirSync(join(file, '..'))).toEqual(['x.lock']);
  });
});
