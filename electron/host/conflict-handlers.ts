// The conflict channels: every unresolved conflict, each in the list the banner counts (one query,
// so the two never differ). A conflict is opened to the user (both versions side by side) when they
// may read its patient and the categories it holds, and every patient shown is audited; otherwise it
// is listed withheld, with why and without its content. A patient who left the ward stays marked
// while the vault holds them for the conflict; one whose chart is gone (purged before the
// keep-until-settled rule) is marked so, shown by what the conflict itself carries, and settled by
// the ward's staff like the others, as closed as the chart was: restricted when it was when stored. Settling one (keep the hub's, resend this workstation's, or send a
// combination; for a record marked entered in error meanwhile, accept that or record the vital signs
// again as a new entry) needs the right to document what it holds, and is audited.
import type { ConflictViewData, WithdrawnRecordData } from '../../shared/contract/index.js';
import { isRestricted } from '../../shared/access/index.js';
import { chartReadEntry, documentationEntry, type AuditLog } from '../audit/index.js';
import { documentActionsOf, readActionsOf, withdrawnRecordsOf, type Documentation, type WithdrawnRecord } from '../documentation/index.js';
import { isSessionError, type Action, type GuardedPatient, type GuardedSessions, type UserContext } from '../session/index.js';
import type { ConflictRecord, Vault } from '../vault/index.js';
import type { PatientLookup } from './chart-handlers.js';
import { authorOf } from './documentation-handlers.js';
import { HostError } from './host-error.js';
import type { IpcHandler } from './ipc-router.js';
import { guardAll, guardKeptPatient } from './patient-guard.js';
import { notEnrolled } from './sync-handlers.js';
import { createViewReads, type ViewReads } from './view-reads.js';

export interface ConflictHandlers {
  readonly 'conflict:list': IpcHandler<'conflict:list'>;
  readonly 'conflict:resolve': IpcHandler<'conflict:resolve'>;
}

/** The patient of a conflict as this workstation holds them: name, whether they left the ward, whether the chart is still here. */
export interface HeldPatient {
  readonly name: string | null;
  readonly leftWard: boolean;
  readonly chartHeld: boolean;
}

export interface ConflictHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly patients: PatientLookup;
  /** The name of a patient the vault holds, or null. */
  readonly patientName: (patientId: string) => string | null;
  readonly vault: Pick<Vault, 'conflicts'>;
  /** The workstation's documentation, or null on a workstation that is not enrolled. */
  readonly documentation: Pick<Documentation, 'resolveConflict' | 'combineConflict' | 'recordAgain' | 'inDowntime'> | null;
  readonly audit: Pick<AuditLog, 'record' | 'recordAll'>;
  /** Which chart-reads a refresh of the conflicts screen already recorded (view-reads.ts); one per handler set by default. */
  readonly viewReads?: ViewReads;
}

/** The refusals that mean "not this patient for this user": such a conflict is listed withheld, without its content. */
const NOT_FOR_THIS_USER = new Set(['FORBIDDEN', 'OUT_OF_SCOPE', 'BTG_REQUIRED']);

type Withheld = NonNullable<ConflictViewData['withheld']>;

/** Who marked a withdrawn record, when, and why, as its last note says (else when its version last changed). */
function withdrawalView(record: ConflictRecord, { withdrawn, local }: WithdrawnRecord): WithdrawnRecordData {
  const notes =
    (withdrawn as { note?: Array<{ text?: string; time?: string; authorReference?: { display?: string } }> } | null)?.note ?? [];
  const last = notes.at(-1);
  return {
    resourceType: local.resourceType,
    inEhr: record.reason === 'upstream-conflict',
    by: last?.authorReference?.display ?? null,
    at: last?.time ?? withdrawn?.meta?.lastUpdated ?? null,
    note: last?.text ?? null,
    canRecordAgain: local.resourceType === 'Observation' && (local as { status?: string }).status !== 'entered-in-error',
  };
}

function viewOf(record: ConflictRecord, patient: HeldPatient, withheld: Withheld | null): ConflictViewData {
  const opened = withheld === null;
  return {
    conflictId: record.conflictId,
    patientId: record.patientId,
    patientName: opened ? patient.name : null,
    leftWard: patient.leftWard,
    chartHeld: patient.chartHeld,
    reason: record.reason,
    errorCode: record.errorCode,
    detectedAt: record.detectedAt,
    withheld,
    local: opened ? record.local.items.map((item) => ({ ...item.resource })) : [],
    hub: opened ? record.hub.map((resource) => ({ ...resource })) : [],
    hubVersionsOnly: opened ? record.hubVersionsOnly.map((version) => ({ ...version })) : [],
    withdrawn: opened ? withdrawnRecordsOf(record).map((withdrawn) => withdrawalView(record, withdrawn)) : [],
  };
}

/** Restricted as far as the conflict itself tells: any of its resources labelled R or V. */
function restrictedByItsOwnResources(record: ConflictRecord): boolean {
  return [...record.local.items.map((item) => item.resource), ...record.hub].some((resource) => isRestricted(resource));
}

export function conflictHandlers({
  sessions,
  patients,
  patientName,
  vault,
  documentation,
  audit,
  viewReads,
}: ConflictHandlerOptions): ConflictHandlers {
  const views = viewReads ?? createViewReads();
  // A conflict's documentation was made on this ward: for that conflict its patient counts as the
  // ward's, so the ward's staff can settle it, whether they are still on the ward, left it (the vault
  // keeps them until the conflict is settled), or are no longer held at all (purged before that rule):
  // then the restriction recorded with the conflict (the chart's label when it was stored; restricted
  // when it could not be known) or its own resources' label keep it as closed as the chart was. A
  // restricted one needs break-the-glass (session:break-glass on the patient id), audited as such.
  const patientOf = (record: ConflictRecord): GuardedPatient => {
    const patient = patients(record.patientId);
    return patient === null
      ? { id: record.patientId, onWard: true, restricted: record.chartRestricted || restrictedByItsOwnResources(record) }
      : { ...patient, onWard: true };
  };
  const guardRecord = (record: ConflictRecord, actions: readonly Action[]): UserContext => {
    const patient = patientOf(record);
    return guardAll((action) => guardKeptPatient(sessions, () => patient, action, record.patientId), ['chart:read', ...actions]);
  };
  const heldPatient = (patientId: string): HeldPatient => {
    const patient = patients(patientId);
    return { name: patientName(patientId), leftWard: patient?.onWard !== true, chartHeld: patient !== null };
  };
  return {
    'conflict:list': ({ refresh }) => {
      const listed: Array<{ record: ConflictRecord; withheld: Withheld | null }> = [];
      const opened = new Map<string, { user: UserContext; conflicts: number }>();
      for (const record of vault.conflicts.list()) {
        try {
          const user = guardRecord(record, readActionsOf(record.local.items));
          listed.push({ record, withheld: null });
          opened.set(record.patientId, { user, conflicts: (opened.get(record.patientId)?.conflicts ?? 0) + 1 });
        } catch (error) {
          if (!isSessionError(error) || !NOT_FOR_THIS_USER.has(error.code)) throw error;
          listed.push({ record, withheld: { code: error.code, message: error.message } });
        }
      }
      const entries = [...opened]
        .filter(([patientId, { user }], index) =>
          views.needsEntry(user.sessionId, 'conflicts', patientId, refresh === true || index > 0, false),
        )
        .map(([patientId, { user, conflicts }]) => chartReadEntry(user, patientId, 'conflicts', { detail: { conflicts } }));
      try {
        audit.recordAll(entries);
      } catch (error) {
        // Not committed: the next load records the opening again (view-reads.ts), no list without its entries.
        if (entries.length > 0) views.forget('conflicts');
        throw error;
      }
      const held = new Map<string, HeldPatient>();
      return listed.map(({ record, withheld }) => {
        const patient = held.get(record.patientId) ?? heldPatient(record.patientId);
        held.set(record.patientId, patient);
        return viewOf(record, patient, withheld);
      });
    },
    'conflict:resolve': (request) => {
      const record = vault.conflicts.get(request.conflictId);
      if (record === null)
        throw new HostError(
          'CONFLICT_NOT_FOUND',
          'That conflict was already settled (perhaps on another screen), or never existed on this workstation. Refresh the list.',
        );
      const user = guardRecord(record, documentActionsOf(record.local.items));
      if (documentation === null) throw notEnrolled();
      const engine = documentation;
      const resources = record.local.items.map((item) => `${item.resource.resourceType}/${item.resource.id}`);
      // Audited inside the settlement's transaction: if the audit write fails, the conflict stays. A
      // reading recorded again is a record created, audited as such (every outbox entry has its entry).
      const auditSettlement = (entryId: string | null, created: readonly string[] = []): void => {
        const detail = { resolution: request.choice, ...(entryId === null ? {} : { entry: entryId }) };
        const entries = [
          documentationEntry(user, 'update', record.patientId, resources, { downtime: engine.inDowntime }),
          ...(created.length === 0 ? [] : [documentationEntry(user, 'create', record.patientId, created, { downtime: engine.inDowntime })]),
        ].map((entry) => ({ ...entry, detail: { ...entry.detail, ...detail } }));
        if (entries.length === 1) audit.record(entries[0]!);
        else audit.recordAll(entries);
      };
      const resentAs =
        request.choice === 'combine'
          ? engine.combineConflict(record.conflictId, request.resources, authorOf(user), auditSettlement)
          : request.choice === 'record-again'
            ? engine.recordAgain(record.conflictId, authorOf(user), auditSettlement)
            : engine.resolveConflict(record.conflictId, request.choice, auditSettlement, authorOf(user));
      return { resentAs };
    },
  };
}
