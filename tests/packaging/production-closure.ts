// The packages a production install holds: package.json's dependencies, and theirs, resolved as
// Node resolves them (a nested node_modules first, then up the folders), found in this
// repository's node_modules, without the packages electron-builder.yml leaves out of the app
// (its `!**/node_modules/NAME/**` patterns). Used to stage the shipped bundles in a fresh folder
// with nothing a development install adds.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';

interface PackageManifest {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

function manifestOf(dir: string): PackageManifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

/** The packages electron-builder.yml keeps out of the app, by name. */
export function packagesLeftOutOfTheApp(root: string): Set<string> {
  const config = load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as { files: readonly string[] };
  const left = config.files.map((pattern) => /^!\*\*\/node_modules\/((?:@[^/]+\/)?[^/*]+)\/\*\*$/.exec(pattern)?.[1]);
  return new Set(left.filter((name): name is string => name !== undefined));
}

/** Where `name` is found from `fromDir`, as Node would look, without leaving `root`; null when absent. */
function resolvePackage(name: string, fromDir: string, root: string): string | null {
  for (let dir = fromDir; dir.startsWith(root); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root) break;
  }
  return null;
}

/** The folders (relative to root) of every package a production install of root holds. */
export function productionPackageFolders(root: string): string[] {
  const leftOut = packagesLeftOutOfTheApp(root);
  const found = new Set<string>();
  const visit = (fromDir: string, manifest: PackageManifest, isRoot: boolean): void => {
    // npm installs peers itself; one that is absent is not needed (or marked optional).
    const optional = new Set([...Object.keys(manifest.optionalDependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const names = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...(isRoot ? [] : Object.keys(manifest.peerDependencies ?? {})),
    ]);
    for (const name of names) {
      if (leftOut.has(name)) continue;
      const dir = resolvePackage(name, fromDir, root);
      if (dir === null) {
        if (optional.has(name)) continue;
        throw new Error(`${name}, needed by ${path.relative(root, fromDir) || 'package.json'}, is not installed`);
      }
      const relative = path.relative(root, dir);
      if (found.has(relative)) continue;
      found.add(relative);
      visit(dir, manifestOf(dir), false);
    }
  };
  visit(root, manifestOf(root), true);
  return [...found].sort();
}
