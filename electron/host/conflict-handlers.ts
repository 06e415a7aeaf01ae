// The conflict channels: the documentation the hub refused or that met a newer version, both
// versions side by side, for the patients the user may see (each guarded with its patient and the
// categories it holds; the others are left out, and every patient shown is audited; a patient who
// left the ward is shown, marked, while the vault holds them for the conflict); and settling
// one (keep the hub's, resend this workstation's, or send a combination), which needs the right to
// document what it holds, and is audited.
import type { ConflictViewData } from '../../shared/contract/index.js';
import { chartReadEntry, documentationEntry, type AuditLog } from '../audit/index.js';
import { documentActionsOf, readActionsOf, type Documentation } from '../documentation/index.js';
import { isSessionError, type Action, type GuardedSessions, type UserContext } from '../session/index.js';
import type { ConflictRecord, Vault } from '../vault/index.js';
import type { PatientLookup } from './chart-handlers.js';
import { authorOf } from './documentation-handlers.js';
import { HostError } from './host-error.js';
import type { IpcHandler } from './ipc-router.js';
import { guardAll, guardKeptPatient } from './patient-guard.js';
import { notEnrolled } from './sync-handlers.js';

export interface ConflictHandlers {
  readonly 'conflict:list': IpcHandler<'conflict:list'>;
  readonly 'conflict:resolve': IpcHandler<'conflict:resolve'>;
}

/** The patient of a conflict as this workstation holds them: name, and whether they left the ward. */
export interface HeldPatient {
  readonly name: string | null;
  readonly leftWard: boolean;
}

export interface ConflictHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly patients: PatientLookup;
  /** The name of a patient the vault holds, or null. */
  readonly patientName: (patientId: string) => string | null;
  readonly vault: Pick<Vault, 'conflicts'>;
  /** The workstation's documentation, or null on a workstation that is not enrolled. */
  readonly documentation: Pick<Documentation, 'resolveConflict' | 'combineConflict' | 'inDowntime'> | null;
  readonly audit: Pick<AuditLog, 'record' | 'recordAll'>;
}

/** The refusals that mean "not this patient for this user": such a conflict is left out of the list. */
const NOT_FOR_THIS_USER = new Set(['FORBIDDEN', 'OUT_OF_SCOPE', 'BTG_REQUIRED']);

function viewOf(record: ConflictRecord, patient: HeldPatient): ConflictViewData {
  return {
    conflictId: record.conflictId,
    patientId: record.patientId,
    patientName: patient.name,
    leftWard: patient.leftWard,
    reason: record.reason,
    errorCode: record.errorCode,
    detectedAt: record.detectedAt,
    local: record.local.items.map((item) => ({ ...item.resource })),
    hub: record.hub.map((resource) => ({ ...resource })),
  };
}

export function conflictHandlers({
  sessions,
  patients,
  patientName,
  vault,
  documentation,
  audit,
}: ConflictHandlerOptions): ConflictHandlers {
  // A patient who left the ward stays in the vault while a conflict of theirs is open (the purge
  // waits for it): for that conflict they count as the ward's, so the ward's staff can settle it.
  // A patient the vault no longer holds needs break-the-glass, as before.
  const heldPatients: PatientLookup = (patientId) => {
    const patient = patients(patientId);
    return patient === null ? null : { ...patient, onWard: true };
  };
  const guardRecord = (record: ConflictRecord, actions: readonly Action[]): UserContext =>
    guardAll((action) => guardKeptPatient(sessions, heldPatients, action, record.patientId), ['chart:read', ...actions]);
  const heldPatient = (patientId: string): HeldPatient => ({
    name: patientName(patientId),
    leftWard: patients(patientId)?.onWard !== true,
  });
  return {
    'conflict:list': () => {
      const shown = new Map<string, { user: UserContext; records: ConflictRecord[] }>();
      for (const record of vault.conflicts.list()) {
        let user: UserContext;
        try {
          user = guardRecord(record, readActionsOf(record.local.items));
        } catch (error) {
          if (isSessionError(error) && NOT_FOR_THIS_USER.has(error.code)) continue;
          throw error;
        }
        const patient = shown.get(record.patientId) ?? { user, records: [] };
        patient.records.push(record);
        shown.set(record.patientId, patient);
      }
      audit.recordAll(
        [...shown].map(([patientId, { user, records }]) =>
          chartReadEntry(user, patientId, 'conflicts', { detail: { conflicts: records.length } }),
        ),
      );
      return [...shown].flatMap(([patientId, { records }]) => {
        const patient = heldPatient(patientId);
        return records.map((record) => viewOf(record, patient));
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
      // Audited inside the settlement's transaction: if the audit write fails, the conflict stays.
      const auditSettlement = (entryId: string | null): void => {
        const entry = documentationEntry(user, 'update', record.patientId, resources, { downtime: engine.inDowntime });
        audit.record({
          ...entry,
          detail: { ...entry.detail, resolution: request.choice, ...(entryId === null ? {} : { entry: entryId }) },
        });
      };
      const resentAs =
        request.choice === 'combine'
          ? engine.combineConflict(record.conflictId, request.resources, authorOf(user), auditSettlement)
          : engine.resolveConflict(record.conflictId, request.choice, auditSettlement);
      return { resentAs };
    },
  };
}
