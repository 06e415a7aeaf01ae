// The built renderer for tests that serve it (loopback, e2e): vite's build() with the project's
// vite.config.ts, into a folder named by a hash of the renderer's and shared/'s sources, so every
// test file (each in its own process) reuses one build until a source changes. Concurrent builds
// each write their own folder and the first to finish is kept (an atomic rename). Each use marks the
// folder used (its time), and a build prunes only the folders of other sources unused for an hour.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = ['renderer/index.html', 'renderer/src', 'shared', 'vite.config.ts', 'package-lock.json'];

function sourceFiles(entry: string): string[] {
  const absolute = path.join(ROOT, entry);
  if (!existsSync(absolute)) return [];
  if (!statSync(absolute).isDirectory()) return [entry];
  return readdirSync(absolute, { withFileTypes: true })
    .filter((child) => !child.name.startsWith('.') && child.name !== 'node_modules' && child.name !== 'dist')
    .flatMap((child) => sourceFiles(path.join(entry, child.name)))
    .filter((file) => !/\.test\.tsx?$/.test(file));
}

/** A hash of everything the bundle is built from. */
export function rendererSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap(sourceFiles).sort()) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(ROOT, file)))
      .update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

let built: Promise<string> | null = null;

/** The folder of a renderer build of the current sources (built now if there is none yet). */
export function builtRenderer(): Promise<string> {
  built ??= buildOnce();
  return built;
}

async function buildOnce(): Promise<string> {
  const target = path.join(tmpdir(), `wardline-renderer-${rendererSourceHash()}`);
  if (existsSync(path.join(target, 'index.html'))) {
    markUsed(target);
    return target;
  }
  const staging = mkdtempSync(path.join(tmpdir(), 'wardline-renderer-build-'));
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would give a half-development bundle (React's development
  // build, the dev JSX runtime): build exactly as `npm run build:renderer` does.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'error',
      build: { outDir: staging, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  try {
    renameSync(staging, target);
  } catch {
    // Another process finished the same build first: keep its folder.
    rmSync(staging, { recursive: true, force: true });
  }
  markUsed(target);
  pruneOldBuilds(target);
  return target;
}

/**
 * Marks a build used now. Builds are pruned by this time, not by when they were made: on a machine
 * where several checkouts run tests, a build made hours ago may still be served by a test running
 * now (a build of other sources pruned it under a running e2e test, whose page then read "404").
 */
function markUsed(folder: string): void {
  const now = new Date();
  try {
    utimesSync(folder, now, now);
  } catch {
    // Pruned meanwhile by a build of other sources that found it unused for an hour: nothing serves it.
  }
}

/** Removes builds of other sources unused for an hour (so no running test still serves one). */
function pruneOldBuilds(keep: string): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const entry of readdirSync(tmpdir(), { withFileTypes: true })) {
    const folder = path.join(tmpdir(), entry.name);
    if (!entry.isDirectory() || !/^wardline-renderer-(build-)?[\w]+$/.test(entry.name) || folder === keep) continue;
    if (statSync(folder).mtimeMs < hourAgo) rmSync(folder, { recursive: true, force: true });
  }
}
