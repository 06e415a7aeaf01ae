// Files of the Wardline repository that only the development tools use (the demo starts the hub
// through bin/wardline-hub.js and serves renderer/dist). The CLI runs from its sources or from its
// bundle (dist/electron/wardline-cli.js), so the repository is found by walking up to its
// package.json, not by a fixed number of "../".
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function isWardlineRoot(dir: string): boolean {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'wardline';
  } catch {
    return false;
  }
}

/** The repository (or installed app) folder holding this code, or null when there is none. */
export function wardlineRoot(from: string = path.dirname(fileURLToPath(import.meta.url))): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (isWardlineRoot(dir)) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** A file of the repository, by its path from the root; null outside a repository. */
export function repositoryFile(relative: string): string | null {
  const root = wardlineRoot();
  return root === null ? null : path.join(root, relative);
}
