// The `wardline-hub` command line: serve (the hub itself, optionally with the demo ward), ward add/list, token,
// user add/change, device revoke/list, feed add/revoke/list, upstream status/retry/close, audit export. Errors are one line on stderr and a non-zero exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { STAFF_ROLES } from '../../shared/access/index.js';
import { toleratesClosedReader } from '../../shared/errors/index.js';
import type { LevelWithSilent } from 'pino';
import { deviceListCommand, deviceRevokeCommand, tokenCommand, userAddCommand, userChangeCommand, type CliIo } from './admin-commands.js';
import { auditExportCommand } from './audit-commands.js';
import { DEFAULT_SIGN_IN_RETENTION_DAYS, MAX_SIGN_IN_RETENTION_DAYS } from '../identity/index.js';
import { HubCliError } from './hub-cli-error.js';
import { DEFAULT_DATA_DIR } from './hub-options.js';
import { encryptDatabaseCommand, initKeyCommand, rotateKeysCommand } from './key-commands.js';
import { DEFAULT_PORT, serveCommand } from './serve-command.js';
import { feedAddCommand, feedListCommand, feedRevokeCommand } from './feed-commands.js';
import { wardAddCommand, wardListCommand } from './ward-commands.js';
import {
  UPSTREAM_SERVE_OPTIONS,
  UPSTREAM_USAGE,
  upstreamCloseCommand,
  upstreamConfigOf,
  upstreamRetryCommand,
  upstreamStatusCommand,
} from './upstream-commands.js';

export { HubCliError, type HubCliErrorCode } from './hub-cli-error.js';
export { HUB_NODE_OPTIONS, runsWithHubNodeOptions } from './node-options.js';

const USAGE = `Usage:
  wardline-hub serve [--data DIR] [--port N] [--host H] [--postgres URL] [--demo N] [--key-file FILE]
                     (--dev-tls | --cert FILE --key FILE) [--public-url URL] [--log-level LEVEL]
                     [--mllp-port P [--mllp-plain] [--mllp-duplicate-days D]     (HL7 v2 ADT feed)
                                    [--mllp-max-connections N] [--mllp-frame-seconds S]]
                     [--sign-in-retention-days D]   (sign-in records kept D days, default ${DEFAULT_SIGN_IN_RETENTION_DAYS})
${UPSTREAM_USAGE}
  wardline-hub init-key [--key-file FILE] [--data DIR | --postgres URL]
  wardline-hub rotate-keys [--key-file FILE] [--data DIR | --postgres URL]      (hub stopped)
  wardline-hub encrypt-database [--key-file FILE] [--data DIR]                  (hub stopped)
  wardline-hub ward add CODE [--name NAME] [--data DIR | --postgres URL] [--key-file FILE]
                        (CODE as the ADT feed sends it in PV1-3: letters, digits, "." or "-")
  wardline-hub ward list [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub token --ward W [--ttl-minutes M] [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub user add --username U --role ${STAFF_ROLES.join('|')} --ward W [--ward W2] [--mfa]   (W: a ward set up with ward add)
                        [--password-stdin] [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub user change --username U [--role R] [--ward W [--ward W2]] [--data DIR | --postgres URL]
                        [--key-file FILE]   (--ward gives the whole new list; the user signs in again)
  wardline-hub device revoke CLIENT_ID [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub device list [--ward W] [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub feed add NAME --application MSH3 --facility MSH4 [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub feed revoke NAME | feed list [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub upstream status [--closed] [--data DIR | --postgres URL] [--key-file FILE]
  wardline-hub upstream retry ENTRY | upstream close ENTRY --reason TEXT [--data DIR | --postgres URL] [--key-file FILE]
                        (ENTRY: the number upstream status shows; each is recorded in the hub's trail)
  wardline-hub audit export [--since T] [--until T] [--format csv|ndjson|fhir] [--patient ID] [--mrn MRN]
                        [--user USERNAME] [--workstation CLIENT_ID] [--data DIR | --postgres URL] [--key-file FILE]
                        (the hub's trail, oldest first, to stdout; default format csv)
Defaults: data folder ./${DEFAULT_DATA_DIR} (SQLite file hub.sqlite and the --dev-tls certificate), port ${DEFAULT_PORT}, host 127.0.0.1.
The hub key (database and secrets encryption) comes from --key-file FILE (mode 0600, outside the data
folder) or the OS keystore; serve --demo/--dev-tls make a development key file beside the data folder.`;

const STORE = { data: { type: 'string' }, postgres: { type: 'string' }, 'key-file': { type: 'string' } } as const;
const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function wholeNumber(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min)
    throw new HubCliError('USAGE', `${name} takes a whole number${min > 0 ? ` of at least ${min}` : ''}.`);
  return Number(value);
}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, positionals = 0) {
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    if (parsed.positionals.length > positionals)
      throw new HubCliError('USAGE', `Unexpected argument "${parsed.positionals[positionals]}" (see wardline-hub help).`);
    return parsed;
  } catch (error) {
    if (error instanceof HubCliError) throw error;
    throw new HubCliError('USAGE', `${(error as Error).message.split('\n')[0]} (see wardline-hub help).`);
  }
}

async function dispatch(argv: string[], io: CliIo, stop?: AbortSignal): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parse(rest, {
        ...STORE,
        port: { type: 'string' },
        host: { type: 'string' },
        demo: { type: 'string' },
        'dev-tls': { type: 'boolean' },
        cert: { type: 'string' },
        key: { type: 'string' },
        'public-url': { type: 'string' },
        'log-level': { type: 'string' },
        'mllp-port': { type: 'string' },
        'mllp-plain': { type: 'boolean' },
        'mllp-duplicate-days': { type: 'string' },
        'mllp-max-connections': { type: 'string' },
        'mllp-frame-seconds': { type: 'string' },
        'sign-in-retention-days': { type: 'string' },
        ...UPSTREAM_SERVE_OPTIONS,
      });
      const logLevel = (values['log-level'] ?? 'info') as LevelWithSilent;
      if (!LOG_LEVELS.includes(logLevel)) throw new HubCliError('USAGE', `--log-level takes one of ${LOG_LEVELS.join(', ')}.`);
      const port = wholeNumber(values.port, '--port', DEFAULT_PORT);
      if (port > 65535) throw new HubCliError('USAGE', '--port takes a number from 0 to 65535.');
      if ((values.cert === undefined) !== (values.key === undefined)) throw new HubCliError('USAGE', 'Give --cert and --key together.');
      const mllpPort = values['mllp-port'] === undefined ? undefined : wholeNumber(values['mllp-port'], '--mllp-port', 0);
      if (mllpPort !== undefined && mllpPort > 65535) throw new HubCliError('USAGE', '--mllp-port takes a number from 0 to 65535.');
      const mllpOnly = ['mllp-plain', 'mllp-duplicate-days', 'mllp-max-connections', 'mllp-frame-seconds'] as const;
      if (mllpPort === undefined && mllpOnly.some((name) => values[name] !== undefined)) {
        throw new HubCliError(
          'USAGE',
          '--mllp-plain, --mllp-duplicate-days, --mllp-max-connections and --mllp-frame-seconds go with --mllp-port.',
        );
      }
      const maxConnections =
        values['mllp-max-connections'] === undefined
          ? undefined
          : wholeNumber(values['mllp-max-connections'], '--mllp-max-connections', 0, 1);
      const frameSeconds =
        values['mllp-frame-seconds'] === undefined ? undefined : wholeNumber(values['mllp-frame-seconds'], '--mllp-frame-seconds', 0, 1);
      const duplicateDays =
        values['mllp-duplicate-days'] === undefined ? undefined : wholeNumber(values['mllp-duplicate-days'], '--mllp-duplicate-days', 0, 1);
      const retentionDays =
        values['sign-in-retention-days'] === undefined
          ? undefined
          : wholeNumber(values['sign-in-retention-days'], '--sign-in-retention-days', 0, 1);
      if (retentionDays !== undefined && retentionDays > MAX_SIGN_IN_RETENTION_DAYS) {
        throw new HubCliError('USAGE', `--sign-in-retention-days takes a number of days from 1 to ${MAX_SIGN_IN_RETENTION_DAYS}.`);
      }
      const upstream = await upstreamConfigOf(values);
      return serveCommand(
        {
          data: values.data,
          postgres: values.postgres,
          keyFile: values['key-file'],
          port,
          host: values.host ?? '127.0.0.1',
          ...(values.demo === undefined ? {} : { demo: wholeNumber(values.demo, '--demo', 0, 1) }),
          devTls: values['dev-tls'] ?? false,
          ...(values.cert === undefined ? {} : { cert: values.cert }),
          ...(values.key === undefined ? {} : { key: values.key }),
          ...(values['public-url'] === undefined ? {} : { publicUrl: values['public-url'] }),
          logLevel,
          ...(mllpPort === undefined
            ? {}
            : {
                mllp: {
                  port: mllpPort,
                  plain: values['mllp-plain'] ?? false,
                  ...(duplicateDays === undefined ? {} : { duplicateRetentionDays: duplicateDays }),
                  ...(maxConnections === undefined ? {} : { maxConnections }),
                  ...(frameSeconds === undefined ? {} : { frameDeadlineMs: frameSeconds * 1000 }),
                },
              }),
          ...(upstream === undefined ? {} : { upstream }),
          ...(retentionDays === undefined ? {} : { signInRetentionDays: retentionDays }),
        },
        io,
        stop,
      );
    }
    case 'init-key':
    case 'rotate-keys':
    case 'encrypt-database': {
      const { values } = parse(rest, STORE);
      const store = { data: values.data, postgres: values.postgres, keyFile: values['key-file'] };
      if (command === 'init-key') return initKeyCommand(store, io);
      if (command === 'rotate-keys') return rotateKeysCommand(store, io);
      return encryptDatabaseCommand(store, io);
    }
    case 'ward': {
      const [sub, ...args] = rest;
      if (sub === 'add') {
        const { values, positionals } = parse(args, { ...STORE, name: { type: 'string' } }, 1);
        if (!positionals[0])
          throw new HubCliError('USAGE', 'ward add needs the ward code (as PV1-3 sends it), e.g. ward add 4north --name "4 North".');
        const store = { data: values.data, postgres: values.postgres, keyFile: values['key-file'] };
        return wardAddCommand({ ...store, code: positionals[0], ...(values.name === undefined ? {} : { name: values.name }) }, io);
      }
      if (sub === 'list') {
        const { values } = parse(args, STORE);
        return wardListCommand({ data: values.data, postgres: values.postgres, keyFile: values['key-file'] }, io);
      }
      throw new HubCliError('USAGE', 'Use "wardline-hub ward add CODE --name NAME" or "wardline-hub ward list" (see wardline-hub help).');
    }
    case 'token': {
      const { values } = parse(rest, { ...STORE, ward: { type: 'string' }, 'ttl-minutes': { type: 'string' } });
      if (!values.ward) throw new HubCliError('USAGE', 'token needs --ward W.');
      const ttl = values['ttl-minutes'] === undefined ? undefined : wholeNumber(values['ttl-minutes'], '--ttl-minutes', 0, 1);
      return tokenCommand(
        {
          data: values.data,
          postgres: values.postgres,
          keyFile: values['key-file'],
          ward: values.ward,
          ...(ttl === undefined ? {} : { ttlMinutes: ttl }),
        },
        io,
      );
    }
    case 'user': {
      const [sub, ...args] = rest;
      if (sub === 'change') {
        const { values } = parse(args, {
          ...STORE,
          username: { type: 'string' },
          role: { type: 'string' },
          ward: { type: 'string', multiple: true },
        });
        if (!values.username) throw new HubCliError('USAGE', 'user change needs --username U.');
        return userChangeCommand(
          {
            data: values.data,
            postgres: values.postgres,
            keyFile: values['key-file'],
            username: values.username,
            ...(values.role === undefined ? {} : { role: values.role }),
            wards: values.ward ?? [],
          },
          io,
        );
      }
      if (sub !== 'add') throw new HubCliError('USAGE', 'Use "wardline-hub user add ..." or "user change ..." (see wardline-hub help).');
      const { values } = parse(args, {
        ...STORE,
        username: { type: 'string' },
        role: { type: 'string' },
        ward: { type: 'string', multiple: true },
        mfa: { type: 'boolean' },
        'password-stdin': { type: 'boolean' },
        password: { type: 'string' },
      });
      if (values.password !== undefined) {
        throw new HubCliError('USAGE', 'Passwords are never taken on the command line; use --password-stdin or answer the prompt.');
      }
      if (!values.username || !values.role) throw new HubCliError('USAGE', 'user add needs --username U and --role R.');
      return userAddCommand(
        {
          data: values.data,
          postgres: values.postgres,
          keyFile: values['key-file'],
          username: values.username,
          role: values.role,
          wards: values.ward ?? [],
          mfa: values.mfa ?? false,
          passwordStdin: values['password-stdin'] ?? false,
        },
        io,
      );
    }
    case 'device': {
      const [sub, ...args] = rest;
      if (sub === 'revoke') {
        const { values, positionals } = parse(args, STORE, 1);
        if (!positionals[0]) throw new HubCliError('USAGE', 'device revoke needs the device client id.');
        return deviceRevokeCommand(
          { data: values.data, postgres: values.postgres, keyFile: values['key-file'], clientId: positionals[0] },
          io,
        );
      }
      if (sub === 'list') {
        const { values } = parse(args, { ...STORE, ward: { type: 'string' } });
        return deviceListCommand(
          { data: values.data, postgres: values.postgres, keyFile: values['key-file'], ...(values.ward ? { ward: values.ward } : {}) },
          io,
        );
      }
      throw new HubCliError('USAGE', 'Use "wardline-hub device revoke ID" or "wardline-hub device list" (see wardline-hub help).');
    }
    case 'feed': {
      const [sub, ...args] = rest;
      if (sub === 'add') {
        const { values, positionals } = parse(args, { ...STORE, application: { type: 'string' }, facility: { type: 'string' } }, 1);
        if (!positionals[0] || !values.application || !values.facility) {
          throw new HubCliError('USAGE', 'feed add needs NAME, --application (MSH-3) and --facility (MSH-4).');
        }
        const store = { data: values.data, postgres: values.postgres, keyFile: values['key-file'] };
        return feedAddCommand({ ...store, name: positionals[0], application: values.application, facility: values.facility }, io);
      }
      if (sub === 'revoke' || sub === 'list') {
        const { values, positionals } = parse(args, STORE, sub === 'revoke' ? 1 : 0);
        const store = { data: values.data, postgres: values.postgres, keyFile: values['key-file'] };
        if (sub === 'list') return feedListCommand(store, io);
        if (!positionals[0]) throw new HubCliError('USAGE', 'feed revoke needs the feed name.');
        return feedRevokeCommand({ ...store, name: positionals[0] }, io);
      }
      throw new HubCliError('USAGE', 'Use "wardline-hub feed add|revoke|list" (see wardline-hub help).');
    }
    case 'upstream': {
      const [sub, ...args] = rest;
      if (sub === 'status') {
        const { values } = parse(args, { ...STORE, closed: { type: 'boolean' } });
        const store = { data: values.data, postgres: values.postgres, keyFile: values['key-file'] };
        return upstreamStatusCommand({ ...store, closed: values.closed ?? false }, io);
      }
      if (sub === 'retry') {
        const { values, positionals } = parse(args, STORE, 1);
        const store = { data: values.data, postgres: values.postgres, keyFile: values['key-file'] };
        return upstreamRetryCommand({ ...store, entry: positionals[0] }, io);
      }
      if (sub === 'close') {
        const { values, positionals } = parse(args, { ...STORE, reason: { type: 'string' } }, 1);
        const store = { data: values.data, postgres: values.postgres, keyFile: values['key-file'] };
        return upstreamCloseCommand({ ...store, entry: positionals[0], reason: values.reason }, io);
      }
      throw new HubCliError('USAGE', 'Use "wardline-hub upstream status|retry|close" (see wardline-hub help).');
    }
    case 'audit': {
      const [sub, ...args] = rest;
      if (sub !== 'export') throw new HubCliError('USAGE', 'Use "wardline-hub audit export ..." (see wardline-hub help).');
      const { values } = parse(args, {
        ...STORE,
        since: { type: 'string' },
        until: { type: 'string' },
        format: { type: 'string' },
        patient: { type: 'string' },
        mrn: { type: 'string' },
        user: { type: 'string' },
        workstation: { type: 'string' },
      });
      return auditExportCommand(
        {
          data: values.data,
          postgres: values.postgres,
          keyFile: values['key-file'],
          format: values.format ?? 'csv',
          ...(values.since === undefined ? {} : { since: values.since }),
          ...(values.until === undefined ? {} : { until: values.until }),
          ...(values.patient === undefined ? {} : { patient: values.patient }),
          ...(values.mrn === undefined ? {} : { mrn: values.mrn }),
          ...(values.user === undefined ? {} : { user: values.user }),
          ...(values.workstation === undefined ? {} : { workstation: values.workstation }),
        },
        io,
      );
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.print(USAGE);
      return;
    default:
      throw new HubCliError('USAGE', `Unknown command "${command}" (see wardline-hub help).`);
  }
}

export interface HubCliStreams {
  readonly stdin?: CliIo['input'];
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  /** Stops a running `serve` (tests; a terminal uses Ctrl-C). */
  readonly stop?: AbortSignal;
}

/** Runs one command; resolves with the process exit code. */
export async function runHubCli(argv: string[], streams: HubCliStreams = {}): Promise<number> {
  const stdout = streams.stdout ?? process.stdout;
  const stderr = streams.stderr ?? process.stderr;
  toleratesClosedReader(stdout);
  toleratesClosedReader(stderr);
  const io: CliIo = {
    input: streams.stdin ?? process.stdin,
    output: stderr as CliIo['output'],
    print: (line) => void stdout.write(`${line}\n`),
    write: (text) => void stdout.write(text),
  };
  try {
    await dispatch(argv, io, streams.stop);
    return 0;
  } catch (error) {
    const message =
      error instanceof Error && 'code' in error && typeof error.message === 'string' && error.message
        ? error.message
        : 'The command failed unexpectedly; run it again with --log-level debug or ask IT to check the hub.';
    stderr.write(`wardline-hub: ${message.split('\n')[0]}\n`);
    return error instanceof HubCliError && error.code === 'USAGE' ? 2 : 1;
  }
}
