// Builds the Electron entry points into dist/electron/ (esbuild, which vite and tsx bring):
// - main.js: the main process, ESM, with node_modules left outside the bundle (electron-builder
//   packs the production dependencies; native modules are unpacked from the asar);
// - preload.cjs: the sandboxed preload, one CommonJS file whose only require is "electron"
//   (a sandboxed preload cannot load other files), with the contract and zod bundled in.
// Usage: node scripts/build-electron.mjs [outDir]
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildElectron(outDir = path.join(root, 'dist', 'electron')) {
  await build({
    entryPoints: [path.join(root, 'electron', 'main.ts')],
    outfile: path.join(outDir, 'main.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    sourcemap: false,
    logLevel: 'warning',
  });
  await build({
    entryPoints: [path.join(root, 'electron', 'preload.ts')],
    outfile: path.join(outDir, 'preload.cjs'),
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'chrome138',
    external: ['electron'],
    sourcemap: false,
    logLevel: 'warning',
  });
  return { main: path.join(outDir, 'main.js'), preload: path.join(outDir, 'preload.cjs') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildElectron(process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]));
  process.stdout.write(`built ${path.relative(root, built.main)} and ${path.relative(root, built.preload)}\n`);
}
