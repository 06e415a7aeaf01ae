// Opening a chart by break-the-glass for a patient off this ward, online only. The hub is asked,
// as the signed-in user and with the reason, for the Patient by MRN and then its $everything; the
// chart goes into an in-memory store held for the grant (never the chart cache), after which the
// chart reads serve it through the same guard and audit. Every refusal is audited.
import type { Logger } from 'pino';
import { MRN_SYSTEM, referenceId, type Resource } from '../../shared/fhir/index.js';
import type { NewAuditEntry } from '../audit/index.js';
import type { BreakTheGlassReasonCode } from '../../shared/access/index.js';
import { guard, SessionError, type SessionManager } from '../session/index.js';
import { SyncError, type BreakTheGlassAuthority } from '../sync/index.js';
import { openMemoryChartStore, VaultError, type MemoryChartStore, type ResourceStore } from '../vault/index.js';
import type { OffWardCharts } from './off-ward-charts.js';
import { OffWardError } from './off-ward-error.js';

/** The hub reads break-the-glass needs (the sync engine fits). */
export interface OffWardHub {
  findPatientsByMrn(mrn: string, authority: BreakTheGlassAuthority): Promise<string[]>;
  fetchPatientEverything(patientId: string, authority: BreakTheGlassAuthority): Promise<Resource[]>;
}

export interface OffWardChartOptions {
  readonly sessions: Pick<
    SessionManager,
    | 'current'
    | 'workstationWard'
    | 'isBreakTheGlassGranted'
    | 'servingGeneration'
    | 'hubUserToken'
    | 'startBreakTheGlass'
    | 'endBreakTheGlassOfSession'
  >;
  /** Null when the workstation is not enrolled at a hub. */
  readonly hub: OffWardHub | null;
  /** The chart cache: whether it holds the patient, and the Locations an encounter names. */
  readonly cache: { readonly resources: Pick<ResourceStore, 'read'> };
  readonly charts: OffWardCharts;
  readonly audit: { record(entry: NewAuditEntry): unknown };
  readonly logger: Logger;
}

/** What the user asked for: a medical record number and why, with the reason's code. */
export interface OffWardChartRequest {
  readonly mrn: string;
  readonly reasonCode: BreakTheGlassReasonCode;
  readonly reasonText: string;
}

/** The patient whose chart is now held, and when the grant ends. */
export interface OpenedOffWardChart {
  readonly patientId: string;
  readonly expiresAt: string;
}

/** Hub codes of a user token that is merely stale: renew it once and ask again. */
const STALE_USER_TOKEN = new Set(['USER_TOKEN_EXPIRED', 'USER_TOKEN_INVALID']);
/** Location hops followed from an encounter (bed → room → ward → site). */
const MAX_LOCATIONS = 32;

type CodedError = Error & { readonly code: string };

function signInRequired(): OffWardError {
  return new OffWardError(
    'HUB_SIGN_IN_REQUIRED',
    'Charts from outside this ward are fetched from the hub in your name, and the hub no longer accepts your sign-in here (or you signed in offline). Sign out, sign in again while online, and try again.',
  );
}

/** A room's error as the user should read it here: the hub's failures become the host's. */
function offWardErrorOf(error: unknown): unknown {
  if (error instanceof VaultError && error.code === 'INVALID_RESOURCE') {
    return new OffWardError(
      'CHART_INVALID',
      "The hub sent this chart in a form that failed validation, so it was not opened. Ask IT to report this to the hub's administrator.",
    );
  }
  if (!(error instanceof SyncError)) return error;
  switch (error.code) {
    case 'HUB_UNREACHABLE':
    case 'CONNECTION_LOST':
    case 'TIMEOUT':
    case 'HUB_ERROR':
    case 'RATE_LIMITED':
    case 'SYNC_CLOSED':
      return new OffWardError(
        'HUB_UNREACHABLE',
        "The hub cannot be reached, so a chart from outside this ward cannot be opened now (those charts are fetched online only and never kept on this workstation). Check the network, or ask the patient's ward.",
      );
    case 'REQUEST_REFUSED':
      if (error.hubCode?.startsWith('USER_') === true) return signInRequired();
      return new OffWardError(
        'HUB_REFUSED',
        'The hub refused emergency access to this chart. If you believe it should be allowed, call IT.',
      );
    default:
      return new OffWardError(
        'HUB_REFUSED',
        `The hub could not be used for this (${error.code}). Charts of this ward stay readable. Call IT.`,
      );
  }
}

function isCoded(error: unknown): error is CodedError {
  return error instanceof OffWardError || error instanceof SessionError;
}

/** The Locations the fetched encounters name, with their parents, from the chart cache (reference data every ward holds). */
function locationsFor(resources: readonly Resource[], cache: OffWardChartOptions['cache']): Resource[] {
  const have = new Set(resources.filter((r) => r.resourceType === 'Location').map((r) => r.id));
  const queue: string[] = [];
  for (const resource of resources) {
    if (resource.resourceType !== 'Encounter') continue;
    for (const entry of resource.location ?? []) {
      const id = referenceId(entry.location?.reference, 'Location');
      if (id !== undefined) queue.push(id);
    }
  }
  const found: Resource[] = [];
  while (queue.length > 0 && found.length < MAX_LOCATIONS) {
    const id = queue.shift()!;
    if (have.has(id)) continue;
    have.add(id);
    const location = cache.resources.read('Location', id);
    if (location === null) continue;
    found.push(location);
    const parent = referenceId(location.partOf?.reference, 'Location');
    if (parent !== undefined) queue.push(parent);
  }
  return found;
}

/** Opens the chart of a patient off this ward for the active user (break-the-glass, audited); see the header. */
export async function openOffWardChart(
  { sessions, hub, cache, charts, audit, logger }: OffWardChartOptions,
  { mrn, reasonCode, reasonText }: OffWardChartRequest,
): Promise<OpenedOffWardChart> {
  const user = guard(sessions, { action: 'btg:use' });
  const query = `Patient?identifier=${MRN_SYSTEM}|${mrn}`;
  const entry = (
    patientId: string | null,
    outcome: 'success' | 'minor-failure',
    detail: Record<string, string | number>,
  ): NewAuditEntry => ({
    action: 'query',
    user: user.userId,
    session: user.sessionId,
    patient: patientId,
    resources: patientId === null ? [] : [`Patient/${patientId}`],
    outcome,
    purposeOfUse: reasonCode,
    query,
    detail: { view: 'off-ward', ...detail },
  });
  /** Records the refusal, then hands back the error to throw. */
  const refused = (error: unknown, patientId: string | null = null): unknown => {
    const shown = offWardErrorOf(error);
    if (!isCoded(shown)) return shown;
    audit.record(entry(patientId, 'minor-failure', { refused: shown.code }));
    logger.info({ event: 'host.off_ward_refused', sessionId: user.sessionId, code: shown.code }, 'off-ward chart not opened');
    return shown;
  };
  if (hub === null) {
    throw refused(
      new OffWardError(
        'NOT_ENROLLED',
        'This workstation is not enrolled at a hub, so charts from outside this ward cannot be opened here. Use a workstation that is online, or ask IT.',
      ),
    );
  }
  const generation = sessions.servingGeneration();
  /** One hub read as the user: with a stale token renewed once. */
  const asUser = async <T>(read: (authority: BreakTheGlassAuthority) => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt += 1) {
      const userToken = await sessions.hubUserToken({ renew: attempt > 0 });
      if (userToken === null) throw signInRequired();
      try {
        return await read({ userToken, reasonCode, reasonText });
      } catch (error) {
        const stale = error instanceof SyncError && error.code === 'REQUEST_REFUSED' && STALE_USER_TOKEN.has(error.hubCode ?? '');
        if (!stale || attempt > 0) throw error;
      }
    }
  };

  let patientIds: string[];
  try {
    patientIds = await asUser((authority) => hub.findPatientsByMrn(mrn, authority));
  } catch (error) {
    throw refused(error);
  }
  if (patientIds.length === 0) {
    throw refused(
      new OffWardError('PATIENT_NOT_FOUND', 'The hub has no patient with this medical record number. Check the number and try again.'),
    );
  }
  if (patientIds.length > 1) {
    throw refused(
      new OffWardError(
        'PATIENT_AMBIGUOUS',
        'More than one patient at the hub has this medical record number, so no chart was opened. Ask the records office.',
      ),
    );
  }
  const patientId = patientIds[0]!;
  if (cache.resources.read('Patient', patientId) !== null) {
    throw refused(
      new OffWardError(
        'PATIENT_ON_WARD',
        "This patient's chart is already on this workstation. Open it from the ward list (with emergency access there if it is restricted).",
      ),
      patientId,
    );
  }

  // The grant (audited as a security alert) comes before the chart is read from the hub.
  const grant = sessions.startBreakTheGlass(patientId, reasonCode, reasonText);
  let store: MemoryChartStore | null = null;
  try {
    const resources = await asUser((authority) => hub.fetchPatientEverything(patientId, authority));
    if (sessions.servingGeneration() !== generation) {
      throw new SessionError(
        'LOCKED',
        'The workstation locked while the chart was loading, so it was not kept. Unlock it and open the chart again.',
      );
    }
    store = openMemoryChartStore();
    const count = store.resources.upsertMany([...resources, ...locationsFor(resources, cache)]);
    audit.record(entry(patientId, 'success', { results: 1, resources: count }));
    charts.hold(user.sessionId, patientId, store);
    store = null;
    logger.info({ event: 'host.off_ward_opened', sessionId: user.sessionId, resources: count }, 'off-ward chart opened by break-the-glass');
  } catch (error) {
    store?.close();
    sessions.endBreakTheGlassOfSession(user.sessionId, patientId);
    throw refused(error, patientId);
  }
  return { patientId, expiresAt: new Date(grant.expiresAt).toISOString() };
}
