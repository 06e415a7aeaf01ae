// The admin CLI bundle for development and CI (bin/wardline.js): dist/electron/wardline-cli.js,
// rebuilt only when it is missing or one of the sources it was built from changed since (their
// list is beside it, wardline-cli.inputs.json). Checking costs one stat per source; esbuild is
// loaded only to rebuild.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'electron');
const bundle = path.join(outDir, 'wardline-cli.js');
/** The page reader's thread, built with the CLI (scripts/build-electron.mjs). */
const pageWorker = path.join(outDir, 'sync-page-worker.js');

/** Whether the bundle was built after the last change to every source it was built from. */
export function cliBundleIsFresh() {
  let record;
  try {
    statSync(bundle);
    statSync(pageWorker);
    record = JSON.parse(readFileSync(path.join(outDir, 'wardline-cli.inputs.json'), 'utf8'));
  } catch {
    return false;
  }
  if (typeof record.builtAt !== 'number' || !Array.isArray(record.inputs)) return false;
  return record.inputs.every((input) => {
    try {
      return statSync(path.join(root, input)).mtimeMs < record.builtAt;
    } catch {
      return false;
    }
  });
}

/** The path of an up-to-date admin CLI bundle, built first when needed. */
export async function freshCliBundle() {
  if (cliBundleIsFresh()) return bundle;
  const { buildAdminCli } = await import('./build-electron.mjs');
  return buildAdminCli(outDir);
}
