// Builds the Electron entry points into dist/electron/ (esbuild, which vite and tsx bring):
// - main.js: the main process, ESM, with node_modules left outside the bundle (electron-builder
//   packs the production dependencies; native modules are unpacked from the asar). Its
//   `import('./cli/index.js')` (the `--admin` branch) is left out too: it loads wardline-cli.js;
// - wardline-cli.js: the admin CLI (electron/cli/program.ts), ESM, node_modules outside. Node runs
//   it (`node wardline-cli.js <command>`, and bin/wardline.js in development), and so does the app's
//   binary (`Wardline --admin <command>`). No tsx, no TypeScript at run time. Beside it,
//   wardline-cli.inputs.json lists the sources it was built from, for bin/wardline.js to rebuild it
//   when one changed (scripts/cli-bundle.mjs);
// - sync-page-worker.js: the sync's page reader thread (electron/sync/sync-page-worker.ts), which
//   main.js and wardline-cli.js start from beside themselves (electron/sync/page-reader.ts): only
//   what reading a page needs (the Bundle scan, validation, rows), not the host. Built with the CLI;
// - preload.cjs: the sandboxed preload, one CommonJS file whose only require is "electron"
//   (a sandboxed preload cannot load other files), with the contract and zod bundled in.
// Usage: node scripts/build-electron.mjs [outDir]
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN_SOURCE = path.join(root, 'electron', 'main.ts');

export const CLI_BUNDLE = 'wardline-cli.js';
export const CLI_INPUTS = 'wardline-cli.inputs.json';
export const SYNC_PAGE_WORKER = 'sync-page-worker.js';
/** The page reader thread's source, bundled on its own beside every bundle of the host (also bench/lib/workstation-process.ts). */
export const SYNC_PAGE_WORKER_SOURCE = path.join('electron', 'sync', 'sync-page-worker.ts');

const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** main.ts's `import('./cli/index.js')` loads the CLI bundle beside main.js instead of a second copy of the CLI. */
const cliStaysOutOfMain = {
  name: 'wardline-cli-external',
  setup(builder) {
    builder.onResolve({ filter: /^\.\/cli\/index\.js$/ }, (args) =>
      args.importer === MAIN_SOURCE ? { path: `./${CLI_BUNDLE}`, external: true } : undefined,
    );
  },
};

/** Writes a file whole or not at all (a CLI started meanwhile reads the old one or the new one). */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

/** Builds dist/electron/wardline-cli.js and the page reader's sync-page-worker.js beside it (and their inputs list); returns the CLI's path. */
export async function buildAdminCli(outDir = path.join(root, 'dist', 'electron')) {
  const startedAt = Date.now();
  const outfile = path.join(outDir, CLI_BUNDLE);
  const result = await build({
    ...nodeBundle,
    entryPoints: {
      [path.basename(CLI_BUNDLE, '.js')]: path.join(root, 'electron', 'cli', 'program.ts'),
      [path.basename(SYNC_PAGE_WORKER, '.js')]: path.join(root, SYNC_PAGE_WORKER_SOURCE),
    },
    outdir: outDir,
    write: false,
    metafile: true,
  });
  mkdirSync(outDir, { recursive: true });
  // The worker first: a CLI started meanwhile finds the worker of its own build or a newer one.
  const byName = new Map(result.outputFiles.map((file) => [path.basename(file.path), file.contents]));
  writeAtomically(path.join(outDir, SYNC_PAGE_WORKER), byName.get(SYNC_PAGE_WORKER));
  writeAtomically(outfile, byName.get(CLI_BUNDLE));
  const inputs = [...Object.keys(result.metafile.inputs), 'package.json', 'scripts/build-electron.mjs', 'scripts/cli-bundle.mjs'];
  writeAtomically(path.join(outDir, CLI_INPUTS), `${JSON.stringify({ builtAt: startedAt, inputs }, null, 2)}\n`);
  return outfile;
}

export async function buildElectron(outDir = path.join(root, 'dist', 'electron')) {
  await build({
    ...nodeBundle,
    entryPoints: [MAIN_SOURCE],
    outfile: path.join(outDir, 'main.js'),
    plugins: [cliStaysOutOfMain],
  });
  const cli = await buildAdminCli(outDir);
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
  return { main: path.join(outDir, 'main.js'), cli, preload: path.join(outDir, 'preload.cjs') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const built = await buildElectron(process.argv[2] === undefined ? undefined : path.resolve(process.argv[2]));
  process.stdout.write(`built ${[built.main, built.cli, built.preload].map((file) => path.relative(root, file)).join(', ')}\n`);
}
