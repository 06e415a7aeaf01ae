import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLockFileExclusive } from './lock-file.js';

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
