// GET /fhir/AuditEvent: the privacy officer's search of the hub's trail. Only a signed-in user whose
// role holds `audit:view` (shared/access: the admin role, the privacy role) may search it; a device
// alone, a nurse or a physician is refused (403). The answer is a searchset Bundle, newest first,
// with usernames and patients' names and MRNs resolved at view time. Each search is recorded in the
// trail (trail-views.ts) before its page is returned.
//
// Parameters (each at most once, except date):
//   date=[ge|gt|le|lt]T      the period (FHIR dateTime; without a prefix: within that day/minute/…)
//   patient=ID[,ID]          patients by id (or Patient/ID)
//   patient.identifier=MRN   a patient by MRN;  patient.name=WORDS  patients whose current name has a word starting with each word (name index)
//   agent=ID[,ID]            users by id (or Practitioner/ID);  agent-name=USERNAME[,…] users by username,
//                            which also finds failed sign-ins that tried that username
//   wardline-action=A[,A]    Wardline actions (chart-read, query, sign-in-failed, btg-access, trail-search, trail-export, …)
//   type=[SYSTEM|]CODE[,…]   AuditEvent.type (110114 User Authentication, rest, 110113 Security Alert, …)
//   subtype=[SYSTEM|]CODE[,…] AuditEvent.subtype (110122 Login, read, search-type, 110127, …)
//   source=CLIENT_ID         one workstation (or Device/CLIENT_ID)
//   wardline-dedup=false     every census read as recorded (default: repeated ones collapsed)
//   _count=N (1–500, default 50), _cursor=C (where the page starts: the `next` link's, opaque)
import { isPermitted } from '../../shared/access/index.js';
import { parseInstantRange, patientIdsByMrn, patientIdsByName } from '../fhir/index.js';
import { normalizeUsername, type Principal } from '../identity/index.js';
import type { SqlDatabase } from '../storage/index.js';
import { MRN_SYSTEM } from '../../shared/fhir/index.js';
import { AuditTrailError } from './audit-trail-error.js';
import { labelsOf, trailEvents } from './trail-events.js';
import { searchTrail, type TrailCursor, type TrailFilter } from './trail-query.js';
import { cursorOf, cursorText, recordTrailView } from './trail-views.js';

export const DEFAULT_TRAIL_PAGE = 50;
export const MAX_TRAIL_PAGE = 500;
const PARAMS = new Set([
  'date',
  'patient',
  'patient.identifier',
  'patient.name',
  'agent',
  'agent-name',
  'wardline-action',
  'type',
  'subtype',
  'source',
  'wardline-dedup',
  '_count',
  '_cursor',
]);
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

function invalid(message: string): AuditTrailError {
  return new AuditTrailError('INVALID_SEARCH', `${message} Nothing was searched.`, 400);
}

/** Throws 403 unless the caller is a signed-in user whose role may view the audit trail. */
export function authorizeTrailView(principal: Principal): void {
  if (!principal.device.scope.read) {
    throw new AuditTrailError('INSUFFICIENT_SCOPE', 'This token was not granted system/*.read; request a token with that scope.', 403);
  }
  const user = principal.user;
  if (user === undefined || !isPermitted(user.role, 'audit:view')) {
    throw new AuditTrailError(
      'FORBIDDEN',
      "The audit trail is shown to the privacy officer's role only; sign in with that account to search it.",
      403,
    );
  }
}

function ids(raw: string, prefix: string, name: string): string[] {
  const values = raw.split(',').map((value) => (value.startsWith(`${prefix}/`) ? value.slice(prefix.length + 1) : value));
  if (values.some((value) => !ID.test(value))) throw invalid(`${name} takes ids (or ${prefix}/id), separated by commas.`);
  return values;
}

function period(values: readonly string[]): { from?: number; to?: number } {
  let from: number | undefined;
  let to: number | undefined;
  for (const raw of values) {
    const match = /^(ge|gt|le|lt|eq)?(.+)$/.exec(raw);
    const range = match ? parseInstantRange(match[2]!) : null;
    if (!match || range === null) throw invalid('date takes a FHIR dateTime, optionally prefixed with ge, gt, le, lt or eq.');
    const start = Math.floor(range.start / 1000);
    const end = Math.ceil(range.end / 1000);
    const prefix = match[1] ?? 'eq';
    if (prefix === 'ge' || prefix === 'eq') from = Math.max(from ?? start, start);
    if (prefix === 'gt') from = Math.max(from ?? end, end);
    if (prefix === 'lt') to = Math.min(to ?? start, start);
    if (prefix === 'le' || prefix === 'eq') to = Math.min(to ?? end, end);
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

function wholeNumber(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max)
    throw invalid(`${name} takes a whole number from ${min} to ${max}.`);
  return Number(raw);
}

export interface TrailRequest {
  readonly filter: TrailFilter;
  readonly count: number;
  /** The previous page's last row; the page starts after it. */
  readonly after?: TrailCursor;
}

/** Reads the search parameters, resolving usernames, MRNs and names to ids now. */
export async function trailRequestOf(db: SqlDatabase, query: URLSearchParams): Promise<TrailRequest> {
  for (const key of new Set(query.keys())) {
    if (!PARAMS.has(key)) throw invalid(`The trail cannot be searched by "${key}".`);
    if (key !== 'date' && query.getAll(key).length > 1) throw invalid(`Give ${key} once (several values go in one, separated by commas).`);
  }
  const one = (key: string): string | undefined => {
    const value = query.get(key) ?? undefined;
    if (value === '') throw invalid(`${key} needs a value.`);
    return value;
  };
  const filter: { -readonly [K in keyof TrailFilter]: TrailFilter[K] } = { ...period(query.getAll('date')) };
  const patientSets: string[][] = [];
  const patient = one('patient');
  if (patient !== undefined) patientSets.push(ids(patient, 'Patient', 'patient'));
  const mrn = one('patient.identifier');
  if (mrn !== undefined) {
    const bar = mrn.indexOf('|');
    if (bar !== -1 && mrn.slice(0, bar) !== MRN_SYSTEM) throw invalid(`patient.identifier takes an MRN (system ${MRN_SYSTEM}).`);
    patientSets.push(await patientIdsByMrn(db, bar === -1 ? mrn : mrn.slice(bar + 1)));
  }
  const name = one('patient.name');
  if (name !== undefined) {
    patientSets.push(await patientIdsByName(db, name));
  }
  if (patientSets.length > 0) filter.patientIds = patientSets.reduce((a, b) => a.filter((id) => b.includes(id)));
  const agent = one('agent');
  const agentName = one('agent-name');
  if (agent !== undefined || agentName !== undefined) {
    const usernames =
      agentName === undefined
        ? []
        : agentName
            .split(',')
            .map(normalizeUsername)
            .filter((u) => u !== '');
    const known =
      usernames.length === 0
        ? []
        : (
            await db.query<{ user_id: string }>(
              `SELECT user_id FROM identity_users WHERE username IN (${usernames.map((_, i) => `$${i + 1}`).join(', ')})`,
              usernames,
            )
          ).map((row) => row.user_id);
    filter.userIds = [...(agent === undefined ? [] : ids(agent, 'Practitioner', 'agent')), ...known];
    filter.usernames = usernames;
  }
  const actions = one('wardline-action');
  if (actions !== undefined) {
    const list = actions.split(',');
    if (list.some((action) => !/^[a-z][a-z-]{1,39}$/.test(action)))
      throw invalid('wardline-action takes action names such as chart-read or sign-in-failed.');
    filter.actions = list;
  }
  for (const [key, target] of [
    ['type', 'types'],
    ['subtype', 'subtypes'],
  ] as const) {
    const raw = one(key);
    if (raw === undefined) continue;
    const codes = raw.split(',').map((token) => token.slice(token.indexOf('|') + 1));
    if (codes.some((code) => !/^[A-Za-z0-9.-]{1,64}$/.test(code)))
      throw invalid(`${key} takes codes (optionally system|code), separated by commas.`);
    filter[target] = codes;
  }
  const source = one('source');
  if (source !== undefined) {
    const [deviceId, ...more] = ids(source, 'Device', 'source');
    if (more.length > 0) throw invalid('source takes one workstation.');
    filter.deviceId = deviceId!;
  }
  const dedup = one('wardline-dedup');
  if (dedup !== undefined && dedup !== 'true' && dedup !== 'false') throw invalid('wardline-dedup takes true or false.');
  filter.dedup = dedup !== 'false';
  const cursor = one('_cursor');
  const after = cursor === undefined ? undefined : cursorOf(cursor);
  if (after === null) throw invalid("_cursor takes the value of a next link's _cursor.");
  return {
    filter,
    count: wholeNumber(one('_count'), '_count', DEFAULT_TRAIL_PAGE, 1, MAX_TRAIL_PAGE),
    ...(after === undefined ? {} : { after }),
  };
}

export interface TrailPage {
  /** The searchset Bundle (FHIR JSON text). */
  readonly body: string;
  readonly rows: number;
}

/** The privacy officer's search: authorized, filtered, recorded, one page as a searchset Bundle. */
export async function searchAuditTrail(
  db: SqlDatabase,
  principal: Principal,
  query: URLSearchParams,
  baseUrl: string,
  now: Date,
): Promise<TrailPage> {
  authorizeTrailView(principal);
  const request = await trailRequestOf(db, query);
  // One row more than asked tells whether there is a next page.
  const rows = await searchTrail(db, request.filter, {
    count: request.count + 1,
    ...(request.after === undefined ? {} : { after: request.after }),
  });
  const shown = rows.slice(0, request.count);
  const events = await trailEvents(db, shown, await labelsOf(db, shown));
  await recordTrailView(db, {
    kind: 'search',
    at: now,
    deviceId: principal.device.deviceId,
    userId: principal.user?.userId ?? null,
    osUser: null,
    filter: request.filter,
    page: { count: request.count, ...(request.after === undefined ? {} : { after: request.after }) },
  });
  const link = [{ relation: 'self', url: `${baseUrl}/AuditEvent?${new URLSearchParams(query).toString()}` }];
  const last = shown[shown.length - 1];
  if (rows.length > request.count && last !== undefined) {
    const next = new URLSearchParams(query);
    next.set('_cursor', cursorText({ at: last.at ?? 0, source: last.source, id: last.id }));
    next.set('_count', String(request.count));
    link.push({ relation: 'next', url: `${baseUrl}/AuditEvent?${next.toString()}` });
  }
  const bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    meta: { lastUpdated: now.toISOString() },
    link,
    entry: events.map((resource) => ({ fullUrl: `${baseUrl}/AuditEvent/${String(resource.id)}`, resource, search: { mode: 'match' } })),
  };
  return { body: JSON.stringify(bundle), rows: shown.length };
}
