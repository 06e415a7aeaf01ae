// The upstream EHR on the command line: `serve --upstream …` options read into the mirror's
// configuration (the key and CA files read here), `wardline-hub upstream status` (lag, errors,
// last success, documentation waiting or refused; `--closed` lists what IT closed), and IT's hand on
// an entry: `upstream retry N` (sent again at the next cycle), `upstream close N --reason TEXT`
// (settled without sending), each recorded in the hub's trail with the change, in one transaction.
import { readFile } from 'node:fs/promises';
import { recordHubAction } from '../audit-trail/index.js';
import {
  CLOSE_REASON_MAX,
  UPSTREAM_DEFAULTS,
  closeOutboxEntry,
  formatUpstreamStatus,
  retryOutboxEntry,
  parseUpstreamVisitSystem,
  parseUpstreamWard,
  readUpstreamStatus,
  type UpstreamConfig,
} from '../integration/index.js';
import type { CliIo } from './admin-commands.js';
import { HubCliError } from './hub-cli-error.js';
import { openStore, type StoreOptions } from './hub-options.js';
import { operatingSystemUser } from './os-user.js';

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

export async function upstreamStatusCommand(options: StoreOptions & { closed?: boolean }, io: CliIo): Promise<void> {
  const { db } = await openStore(options);
  try {
    const status = await readUpstreamStatus(db, new Date(), { closed: options.closed === true });
    for (const line of formatUpstreamStatus(status)) io.print(line);
  } finally {
    await db.close();
  }
}

/** The entry number `upstream status` shows (entry N). */
function entryNumber(text: string | undefined, command: string): number {
  if (text === undefined || !/^\d{1,15}$/.test(text)) {
    throw new HubCliError('USAGE', `upstream ${command} needs the entry number \`upstream status\` shows (entry N: …).`);
  }
  return Number(text);
}

export async function upstreamRetryCommand(options: StoreOptions & { entry: string | undefined }, io: CliIo): Promise<void> {
  const seq = entryNumber(options.entry, 'retry');
  const { db } = await openStore(options);
  try {
    const at = new Date();
    const action = await db.transaction(async (tx) => {
      const done = await retryOutboxEntry(tx, seq);
      await recordHubAction(tx, {
        action: 'upstream-retry',
        at,
        osUser: operatingSystemUser(),
        patientId: done.patientId,
        detail: { entry: done.seq, resource: `${done.type}/${done.id}/_history/${done.version}`, dependents: done.dependents },
      });
      return done;
    });
    const what = `Entry ${action.seq} (${action.type}/${action.id}, version ${action.version})`;
    if (action.before === 'refused') {
      const also =
        action.dependents > 0 ? `, with ${action.dependents} entr${action.dependents === 1 ? 'y' : 'ies'} refused through it` : '';
      io.print(`${what} is put back${also}: the hub sends it at its next cycle. \`upstream status\` shows how it went.`);
    } else if (action.before === 'held') {
      io.print(`${what} is looked at again at the hub's next cycle: sent if its patient and stay are now the EHR's, else held again.`);
    } else {
      io.print(`${what} is tried again at the hub's next cycle.`);
    }
  } finally {
    await db.close();
  }
}

export async function upstreamCloseCommand(
  options: StoreOptions & { entry: string | undefined; reason: string | undefined },
  io: CliIo,
): Promise<void> {
  const seq = entryNumber(options.entry, 'close');
  const reason = options.reason?.trim() ?? '';
  if (reason === '') {
    throw new HubCliError('USAGE', 'upstream close needs --reason TEXT: why it is not sent (e.g. recorded in the EHR by hand).');
  }
  const oneLine = [...reason].every((char) => char.charCodeAt(0) >= 0x20 && char.charCodeAt(0) !== 0x7f);
  if (reason.length > CLOSE_REASON_MAX || !oneLine) {
    throw new HubCliError('USAGE', `--reason takes one line of at most ${CLOSE_REASON_MAX} characters.`);
  }
  const { db } = await openStore(options);
  try {
    const at = new Date();
    const by = operatingSystemUser();
    const action = await db.transaction(async (tx) => {
      const done = await closeOutboxEntry(tx, seq, { by, at, reason });
      await recordHubAction(tx, {
        action: 'upstream-close',
        at,
        osUser: by,
        patientId: done.patientId,
        detail: { entry: done.seq, resource: `${done.type}/${done.id}/_history/${done.version}`, reason, dependents: done.dependents },
      });
      return done;
    });
    const also =
      action.dependents > 0
        ? ` (with ${action.dependents} Provenance entr${action.dependents === 1 ? 'y' : 'ies'} refused through it)`
        : '';
    io.print(
      `Entry ${action.seq} (${action.type}/${action.id}, version ${action.version}) closed by ${by}${also}: it is not sent to the EHR. ` +
        '`upstream status --closed` lists it.',
    );
  } finally {
    await db.close();
  }
}
