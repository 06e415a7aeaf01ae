// "Nothing left behind" (issue 16): the files written under the user's download folder and the temp
// folder while a test ran, and which of them hold patient data — a patient's name in the clear, or
// any PDF at all (a printed MAR must never become a file there).
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Gives this test process, and the browser it launches after this call, a temp folder of their
 * own (TMPDIR), so a scan of "the temp folder" sees only what they wrote: the shared one also
 * holds the files other test processes write meanwhile (a hub's database with its synthetic
 * patients' names, a PDF a print test saves), which would fail the scan by chance. Returns the
 * function that puts the shared folder back and removes the private one.
 */
export function usePrivateTempFolder(): () => void {
  const before = process.env.TMPDIR;
  const own = mkdtempSync(join(tmpdir(), 'wardline-e2e-tmp-'));
  process.env.TMPDIR = own;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(own, { recursive: true, force: true });
  };
}

/** The user's download folder and the temp folder. */
export function downloadAndTempFolders(): string[] {
  return [join(homedir(), 'Downloads'), tmpdir()];
}

const MAX_BYTES = 64 * 1024 * 1024;

/** Every regular file under `roots` modified at or after `sinceMs` (unreadable folders skipped). */
export function filesWrittenSince(roots: readonly string[], sinceMs: number): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 12) return;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      let stat;
      try {
        stat = lstatSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) walk(path, depth + 1);
      else if (stat.isFile() && stat.mtimeMs >= sinceMs && stat.size <= MAX_BYTES) found.push(path);
    }
  };
  for (const root of roots) walk(root, 0);
  return found;
}

/** The files among `files` that are a PDF or hold one of `names` (UTF-8 or Latin-1). */
export function filesHoldingPatientData(files: readonly string[], names: readonly string[]): string[] {
  return files.filter((file) => {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return false;
    }
    if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return true;
    const utf8 = bytes.toString('utf8');
    const latin1 = bytes.toString('latin1');
    return names.some((name) => utf8.includes(name) || latin1.includes(name));
  });
}
