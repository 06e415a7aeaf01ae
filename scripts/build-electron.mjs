// Builds the Electron entry points into dist/electron/ (esbuild, which vite and tsx bring):
// - main.js: the main process, ESM, with node_modules left outside the bundle (electron-builder
//   packs the production dependencies; native modules are unpacked from the asar). Its
//   `import('./cli/index.js')` (the `--admin` branch) is left out too: it loads wardline-cli.js;
// - wardline-cli.js: the admin CLI (electron/cli/program.ts), ESM, node_modules outside. Node runs
//   it (`node wardline-cli.js <command>`, and bin/wardline.js in development), and so does the app's
//   binary (`Wardline --admin <command>`). No tsx, no TypeScript at run time. Beside it,
//   wardline-cli.inputs.json lists the sources it was built from, for bin/wardline.js to rebuild it
//   when one changed (scripts/cli-bundle.mjs);
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

/** Builds dist/electron/wardline-cli.js (and its inputs list); returns its path. */
export async function buildAdminCli(outDir = path.join(root, 'dist', 'electron')) {
  const startedAt = Date.now();
  const outfile = path.join(outDir, CLI_BUNDLE);
  const result = await build({
    ...nodeBundle,
    entryPoints: [path.join(root, 'electron', 'cli', 'program.ts')],
    outfile,
    write: false,
    metafile: true,
  });
  mkdirSync(outDir, { recursive: true });
  writeAtomically(outfile, result.outputFiles[0].contents);
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
