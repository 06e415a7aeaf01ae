// The entries the host writes around the data it serves: a chart read, a query (one entry per
// patient in the results), a print (or its refusal), downtime documentation (create, update), a
// wipe and a rekey (each at its start and at its end), a rejected IPC message. Each takes who is asking as the session guard answered it (UserContext fits).
import { PURPOSE_OF_USE } from '../../shared/access/index.js';
import type { AuditDetail, NewAuditEntry } from './audit-entry.js';

/** Who acts: the guard's UserContext has these fields. */
export interface AuditActor {
  readonly userId: string;
  readonly sessionId: string;
  /** True when access rests on a break-the-glass grant: purpose of use is then emergency treatment. */
  readonly viaBreakTheGlass: boolean;
}

const purposeOf = (actor: AuditActor): string => (actor.viaBreakTheGlass ? PURPOSE_OF_USE.emergency : PURPOSE_OF_USE.treatment);

/** One patient's chart (or a part of it: `view` names it, e.g. "summary", "trend", "mar") was shown. */
export function chartReadEntry(
  actor: AuditActor,
  patientId: string,
  view: string,
  options: { resources?: readonly string[]; detail?: AuditDetail; found?: boolean } = {},
): NewAuditEntry {
  return {
    action: 'chart-read',
    user: actor.userId,
    session: actor.sessionId,
    patient: patientId,
    resources: options.resources ?? [`Patient/${patientId}`],
    purposeOfUse: purposeOf(actor),
    outcome: options.found === false ? 'minor-failure' : 'success',
    detail: { view, ...(options.found === false ? { reason: 'not in the chart cache' } : {}), ...options.detail },
  };
}

/** A census or search returned these patients: one entry per patient, each with the query. */
export function queryEntries(actor: AuditActor, patientIds: readonly string[], query: string, detail: AuditDetail = {}): NewAuditEntry[] {
  return patientIds.map((patientId) => ({
    action: 'query',
    user: actor.userId,
    session: actor.sessionId,
    patient: patientId,
    purposeOfUse: purposeOf(actor),
    query,
    detail: { results: patientIds.length, ...detail },
  }));
}

/** Something of one patient was printed (e.g. the MAR during downtime); `detail` says what it held (window, counts, file). */
export function printEntry(
  actor: AuditActor,
  patientId: string,
  what: string,
  resources: readonly string[] = [],
  detail: AuditDetail = {},
): NewAuditEntry {
  return {
    action: 'print',
    user: actor.userId,
    session: actor.sessionId,
    patient: patientId,
    resources: [`Patient/${patientId}`, ...resources],
    purposeOfUse: purposeOf(actor),
    detail: { ...detail, document: what },
  };
}

/** A print was refused (e.g. the machine policy forbids printing): nothing was produced. `patientId` is null for a ward print. */
export function printRefusedEntry(
  actor: AuditActor,
  patientId: string | null,
  what: string,
  reason: string,
  detail: AuditDetail = {},
): NewAuditEntry {
  return {
    action: 'print',
    user: actor.userId,
    session: actor.sessionId,
    patient: patientId,
    resources: patientId === null ? [] : [`Patient/${patientId}`],
    purposeOfUse: patientId === null ? null : purposeOf(actor),
    outcome: 'minor-failure',
    detail: { ...detail, document: what, reason: reason.slice(0, 200) },
  };
}

/** Documentation written on this workstation (vitals, administrations, notes), by resource reference. */
export function documentationEntry(
  actor: AuditActor,
  kind: 'create' | 'update',
  patientId: string,
  resources: readonly string[],
  options: { downtime: boolean },
): NewAuditEntry {
  return {
    action: kind,
    user: actor.userId,
    session: actor.sessionId,
    patient: patientId,
    resources,
    purposeOfUse: purposeOf(actor),
    detail: { downtime: options.downtime },
  };
}

/**
 * Where an operation that destroys or changes keys stands when its entry is written: `started` is
 * committed before anything is touched (so a kill midway still leaves it in the trail), `ended`
 * once it is over (its outcome says whether it succeeded). A `started` without its `ended` is an
 * operation interrupted midway, which may or may not have finished.
 */
export type OperationStage = 'started' | 'ended';

/** The chart cache is crypto-erased (by IT's CLI, or the host): at its start, then at its end. */
export function wipeEntry(by: 'cli' | 'host', stage: OperationStage, detail: AuditDetail = {}): NewAuditEntry {
  return { action: 'wipe', requestor: by === 'cli', detail: { by, stage, ...detail } };
}

/**
 * The keys of the chart cache and the audit trail are changed (by IT's CLI, or the host on the
 * policy's schedule), at its start, then at its end; `detail` says which were and, on failure,
 * where it stopped.
 */
export function rekeyEntry(by: 'cli' | 'host', stage: OperationStage, detail: AuditDetail = {}, failed = false): NewAuditEntry {
  return {
    action: 'rekey',
    requestor: by === 'cli',
    ...(failed ? { outcome: 'serious-failure' as const } : {}),
    detail: { by, stage, ...detail },
  };
}

/** The host refused a message from the renderer (wrong sender, schema, or channel). */
export function ipcRejectedEntry(channel: string, reason: string, actor?: Pick<AuditActor, 'userId' | 'sessionId'>): NewAuditEntry {
  return {
    action: 'ipc-rejected',
    user: actor?.userId ?? null,
    session: actor?.sessionId ?? null,
    outcome: 'serious-failure',
    requestor: false,
    detail: { channel: channel.slice(0, 100), reason: reason.slice(0, 200) },
  };
}
