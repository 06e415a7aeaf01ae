// The Electron entry points as they are packed (scripts/build-electron.mjs): the sandboxed preload
// must be one file that loads nothing but "electron", and the main process may load only Node's
// own modules, electron, and the app's production dependencies (a devDependency is not packed);
// the admin CLI is one bundle beside it, which `Wardline --admin` loads and Node runs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.join(import.meta.dirname, '..', '..');
let outDir: string;
let built: { main: string; cli: string; preload: string };

beforeAll(async () => {
  outDir = mkdtempSync(path.join(os.tmpdir(), 'wardline-electron-build-'));
  const script = (await import(pathToFileURL(path.join(ROOT, 'scripts', 'build-electron.mjs')).href)) as {
    buildElectron(out: string): Promise<{ main: string; cli: string; preload: string }>;
  };
  built = await script.buildElectron(outDir);
});

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const importedModules = (code: string): string[] =>
  [
    ...new Set(
      [...code.matchAll(/\bfrom\s+"([^"]+)"|\brequire\("([^"]+)"\)|\bimport\("([^"]+)"\)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? ''),
    ),
  ].sort();

describe('the packed Electron entry points', () => {
  it('bundle the preload into one file that requires only electron, exposing window.wardline', () => {
    const preload = readFileSync(built.preload, 'utf8');
    expect(importedModules(preload)).toEqual(['electron']);
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toContain('"wardline"');
  });

  it('let the main process load only Node, electron, production dependencies and the CLI bundle beside it', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const allowed = new Set(['electron', ...Object.keys(pkg.dependencies), ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const packageOf = (specifier: string): string =>
      specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
    const outside = (file: string): string[] =>
      importedModules(readFileSync(file, 'utf8')).filter((m) => !allowed.has(m) && !allowed.has(packageOf(m)));
    expect(outside(built.main)).toEqual(['./wardline-cli.js']);
    expect(outside(built.cli)).toEqual([]);
    expect(importedModules(readFileSync(built.cli, 'utf8'))).not.toContain('electron');
  });

  it('run `--admin` through the CLI bundle, not through a second copy of the commands inside main.js', async () => {
    const main = readFileSync(built.main, 'utf8');
    expect(main).toMatch(/await import\("\.\/wardline-cli\.js"\)/);
    const { commands } = await import('../../electron/cli/index.js');
    const cliBundle = readFileSync(built.cli, 'utf8');
    for (const command of Object.values(commands)) {
      const words = command.summary.split('"')[0]!;
      expect(cliBundle).toContain(words);
      expect(main).not.toContain(words);
    }
  });

  it("take electron-updater's autoUpdater from its default export (an ESM named import of it fails at start)", async () => {
    const main = readFileSync(built.main, 'utf8');
    expect(main).toMatch(/import \w+ from "electron-updater"/);
    expect(main).not.toMatch(/import\s*\{[^}]*\bautoUpdater\b[^}]*\}\s*from "electron-updater"/);
    const updater = (await import('electron-updater')) as { default: object };
    // A getter: the updater is created on first use, which main.ts makes only when updates are on.
    expect(Object.getOwnPropertyDescriptor(updater.default, 'autoUpdater')?.get).toBeTypeOf('function');
  });
});
