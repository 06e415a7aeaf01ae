// A small file store for key blobs already wrapped by the OS (Electron safeStorage output). The
// blobs are useless without the OS user's keystore, so they may sit on disk; the raw key never does.
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface WrappedKeyStore {
  read(name: string): Promise<Buffer | null>;
  /** Replaces the blob atomically (write a temporary file, fsync, rename). */
  write(name: string, blob: Buffer): Promise<void>;
  remove(name: string): Promise<void>;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function fileFor(dir: string, name: string): string {
  if (!SAFE_NAME.test(name)) throw new TypeError('A wrapped key name may only hold letters, digits, ".", "_" and "-".');
  return path.join(dir, `${name}.wrapped-key`);
}

/** Wrapped key blobs as files in `dir` (created 0700; files 0600). */
export function createWrappedKeyFileStore(dir: string): WrappedKeyStore {
  return {
    async read(name) {
      try {
        return await readFile(fileFor(dir, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async write(name, blob) {
      const file = fileFor(dir, name);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temporary = `${file}.tmp`;
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(blob);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    },
    async remove(name) {
      await rm(fileFor(dir, name), { force: true });
    },
  };
}
