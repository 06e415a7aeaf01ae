// The demo's hub: `wardline-hub serve --dev-tls --demo N` started as a child process (the host
// never imports the hub's code), read from what it prints — URL, certificate pin, demo accounts,
// an enrollment token — and stopped with SIGTERM. Its log lines go to a file beside the demo data.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { STAFF_ROLES } from '../../../shared/access/index.js';
import { CliError } from '../cli-error.js';
import { repositoryFile } from '../repository-files.js';

/** "  username  role  password: …  [TOTP secret: …]" as the demo hub prints each account. */
const DEMO_ACCOUNT_LINE = new RegExp(`^ {2}(\\S+)\\s+(${STAFF_ROLES.join('|')})\\s+password: (\\S+)(?:\\s+TOTP secret: (\\S+))?`);

export interface DemoAccount {
  readonly username: string;
  readonly role: string;
  readonly password: string;
  readonly totpSecret?: string;
}

export interface DemoHub {
  readonly url: string;
  readonly pin: string;
  readonly ward: string;
  readonly enrollmentToken: string;
  readonly accounts: readonly DemoAccount[];
  /** Stops the hub (SIGTERM; SIGKILL after 10 s); resolves when it has exited. */
  stop(): Promise<void>;
}

export interface DemoHubOptions {
  readonly dataDir: string;
  readonly logFile: string;
  readonly patients: number;
  /** 0: any free port. */
  readonly port: number;
  readonly startTimeoutMs?: number;
}

interface Printed {
  url?: string;
  pin?: string;
  ward?: string;
  enrollmentToken?: string;
  accounts: DemoAccount[];
}

function readLine(line: string, printed: Printed): void {
  const listening = /^Wardline hub listening on (https:\/\/\S+)/.exec(line);
  if (listening) printed.url = listening[1]!;
  const pin = /^TLS certificate SPKI pin \(sha256, base64\): (\S+)$/.exec(line);
  if (pin) printed.pin = pin[1]!;
  const account = DEMO_ACCOUNT_LINE.exec(line);
  if (account)
    printed.accounts.push({
      username: account[1]!,
      role: account[2]!,
      password: account[3]!,
      ...(account[4] ? { totpSecret: account[4] } : {}),
    });
  const token = /^Enrollment token for ward "([^"]+)".*: (\S+)$/.exec(line);
  if (token) {
    printed.ward = token[1]!;
    printed.enrollmentToken = token[2]!;
  }
}

/** bin/wardline-hub.js of the repository; the demo does not run from an installed Wardline. */
function hubBin(): string {
  const bin = repositoryFile('bin/wardline-hub.js');
  if (bin === null || !existsSync(bin))
    throw new CliError(
      'DEMO_HUB_FAILED',
      'the demo runs from the Wardline repository only (it starts the hub from bin/wardline-hub.js)',
      1,
    );
  return bin;
}

export function startDemoHub(options: DemoHubOptions): Promise<DemoHub> {
  const child = spawn(
    process.execPath,
    [
      hubBin(),
      'serve',
      '--dev-tls',
      '--demo',
      String(options.patients),
      '--port',
      String(options.port),
      '--data',
      options.dataDir,
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log = createWriteStream(options.logFile, { flags: 'a', mode: 0o600 });
  child.stderr.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    process.off('exit', killOnExit);
    log.end();
  };

  return new Promise((resolve, reject) => {
    const printed: Printed = { accounts: [] };
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() =>
        reject(new CliError('DEMO_HUB_FAILED', `The demo hub did not start (${why}); its log is in ${options.logFile}.`, 1)),
      );
    };
    const timer = setTimeout(
      () => fail(`no answer within ${(options.startTimeoutMs ?? 120_000) / 1000} s`),
      options.startTimeoutMs ?? 120_000,
    );
    void exited.then((code) => fail(`it exited with code ${code}`));
    createInterface({ input: child.stdout }).on('line', (line) => {
      readLine(line, printed);
      if (!line.startsWith('Press Ctrl-C') || settled) return;
      const { url, pin, ward, enrollmentToken, accounts } = printed;
      if (!url || !pin || !ward || !enrollmentToken) return fail('it printed no URL, pin or enrollment token');
      settled = true;
      clearTimeout(timer);
      resolve({ url, pin, ward, enrollmentToken, accounts, stop });
    });
  });
}
