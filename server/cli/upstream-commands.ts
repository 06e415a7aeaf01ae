// The upstream EHR on the command line: `serve --upstream …` options read into the mirror's
// configuration (the key and CA files read here), and `wardline-hub upstream status` (lag, errors,
// last success, documentation waiting or refused).
import { readFile } from 'node:fs/promises';
import {
  UPSTREAM_DEFAULTS,
  formatUpstreamStatus,
  parseUpstreamVisitSystem,
  parseUpstreamWard,
  readUpstreamStatus,
  type UpstreamConfig,
} from '../integration/index.js';
import type { CliIo } from './admin-commands.js';
import { HubCliError } from './hub-cli-error.js';
import { openStore, type StoreOptions } from './hub-options.js';

/** The serve command's upstream options as parsed (strings as typed). */
export interface UpstreamOptionValues {
  readonly upstream?: string | undefined;
  readonly 'upstream-client-id'?: string | undefined;
  readonly 'upstream-key'?: string | undefined;
  readonly 'upstream-key-id'?: string | undefined;
  readonly 'upstream-ca'?: string | undefined;
  readonly 'upstream-ward'?: string[] | undefined;
  readonly 'upstream-poll-seconds'?: string | undefined;
  readonly 'upstream-days-before-admission'?: string | undefined;
  readonly 'upstream-mrn-system'?: string | undefined;
  readonly 'upstream-visit-system'?: string[] | undefined;
}

export const UPSTREAM_SERVE_OPTIONS = {
  upstream: { type: 'string' },
  'upstream-client-id': { type: 'string' },
  'upstream-key': { type: 'string' },
  'upstream-key-id': { type: 'string' },
  'upstream-ca': { type: 'string' },
  'upstream-ward': { type: 'string', multiple: true },
  'upstream-poll-seconds': { type: 'string' },
  'upstream-days-before-admission': { type: 'string' },
  'upstream-mrn-system': { type: 'string' },
  'upstream-visit-system': { type: 'string', multiple: true },
} as const;

export const UPSTREAM_USAGE = `                     [--upstream URL --upstream-client-id ID --upstream-key PEM-FILE
                      --upstream-ward WARD=Location/ID ... [--upstream-ca PEM-FILE] [--upstream-key-id KID]
                      [--upstream-poll-seconds N] [--upstream-days-before-admission N] [--upstream-mrn-system URI]
                      [--upstream-visit-system AUTHORITY=URI ...]]`;

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new HubCliError('USAGE', `The ${what} file ${path} cannot be read.`);
  }
}

function whole(value: string | undefined, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < min) throw new HubCliError('USAGE', `${name} takes a whole number of at least ${min}.`);
  return Number(value);
}

/** The mirror's configuration, or undefined when --upstream is not given. */
export async function upstreamConfigOf(values: UpstreamOptionValues): Promise<UpstreamConfig | undefined> {
  const given = Object.entries(values).filter(([name, value]) => name.startsWith('upstream') && value !== undefined);
  if (values.upstream === undefined) {
    if (given.length > 0) throw new HubCliError('USAGE', 'The --upstream-… options need --upstream URL (the EHR FHIR base).');
    return undefined;
  }
  if (!values['upstream-client-id'] || !values['upstream-key']) {
    throw new HubCliError(
      'USAGE',
      '--upstream needs --upstream-client-id ID and --upstream-key PEM-FILE (the hub key registered with the EHR).',
    );
  }
  let wards;
  let visitNumberSystems;
  try {
    wards = (values['upstream-ward'] ?? []).map(parseUpstreamWard);
    visitNumberSystems = (values['upstream-visit-system'] ?? []).map(parseUpstreamVisitSystem);
  } catch (error) {
    throw new HubCliError('USAGE', (error as Error).message);
  }
  if (wards.length === 0) throw new HubCliError('USAGE', '--upstream needs at least one --upstream-ward WARD=Location/ID.');
  return {
    baseUrl: values.upstream,
    clientId: values['upstream-client-id'],
    privateKeyPem: await readPem(values['upstream-key'], 'upstream key'),
    ...(values['upstream-key-id'] === undefined ? {} : { keyId: values['upstream-key-id'] }),
    ...(values['upstream-ca'] === undefined ? {} : { caPem: await readPem(values['upstream-ca'], 'upstream CA') }),
    ...(values['upstream-mrn-system'] === undefined ? {} : { mrnSystem: values['upstream-mrn-system'] }),
    ...(visitNumberSystems.length === 0 ? {} : { visitNumberSystems }),
    wards,
    pollIntervalMs: whole(values['upstream-poll-seconds'], '--upstream-poll-seconds', UPSTREAM_DEFAULTS.pollIntervalMs / 1000, 1) * 1000,
    daysBeforeAdmission: whole(
      values['upstream-days-before-admission'],
      '--upstream-days-before-admission',
      UPSTREAM_DEFAULTS.daysBeforeAdmission,
      0,
    ),
    pageSize: UPSTREAM_DEFAULTS.pageSize,
    overlapMs: UPSTREAM_DEFAULTS.overlapMs,
    maxBackoffMs: UPSTREAM_DEFAULTS.maxBackoffMs,
  };
}

export async function upstreamStatusCommand(options: StoreOptions, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    for (const line of formatUpstreamStatus(await readUpstreamStatus(db, new Date()))) io.print(line);
  } finally {
    await db.close();
  }
}
