// The conflict channels: the documentation the hub refused or that met a newer version, both
// versions side by side, for the patients the user may see (each guarded with its patient and the
// categories it holds; the others are left out, and every patient shown is audited); and settling
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

export interface ConflictHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly patients: PatientLookup;
  readonly vault: Pick<Vault, 'conflicts'>;
  /** The workstation's documentation, or null on a workstation that is not enrolled. */
  readonly documentation: Pick<Documentation, 'resolveConflict' | 'combineConflict' | 'inDowntime'> | null;
  readonly audit: Pick<AuditLog, 'record' | 'recordAll'>;
}

/** The refusals that mean "not this patient for this user": such a conflict is left out of the list. */
const NOT_FOR_THIS_USER = new Set(['FORBIDDEN', 'OUT_OF_SCOPE', 'BTG_REQUIRED']);

function viewOf(record: ConflictRecord): ConflictViewData {
  return {
    conflictId: record.conflictId,
    patientId: record.patientId,
    reason: record.reason,
    errorCode: record.errorCode,
    detectedAt: record.detectedAt,
    local: record.local.items.map((item) => ({ ...item.resource })),
    hub: record.hub.map((resource) => ({ ...resource })),
  };
}

export function conflictHandlers({ sessions, patients, vault, documentation, audit }: ConflictHandlerOptions): ConflictHandlers {
  const guardRecord = (record: ConflictRecord, actions: readonly Action[]): UserContext =>
    guardAll((action) => guardKeptPatient(sessions, patients, action, record.patientId), ['chart:read', ...actions]);
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
      return [...shown.values()].flatMap(({ records }) => records.map(viewOf));
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
      const resentAs =
        request.choice === 'combine'
          ? engine.combineConflict(record.conflictId, request.resources, authorOf(user))
          : engine.resolveConflict(record.conflictId, request.choice);
      const resources = record.local.items.map((item) => `${item.resource.resourceType}/${item.resource.id}`);
      const entry = documentationEntry(user, 'update', record.patientId, resources, { downtime: engine.inDowntime });
      audit.record({
        ...entry,
        detail: { ...entry.detail, resolution: request.choice, ...(resentAs === null ? {} : { entry: resentAs }) },
      });
      return { resentAs };
    },
  };
}
