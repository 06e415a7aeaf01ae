// The documentation channels: a patient's notes (read through the audited chart reads) and writing
// one (a physician's progress note, a nurse's nursing note), recording
// vital signs and medication administrations (a dose checked against the five rights first, by
// chart:check-administration and again when recorded; guarded with the patient, written to the
// outbox by the documentation room, audited as created inside the same transaction, so a failed
// audit write leaves nothing documented), and what of a patient's documentation the
// hub does not hold yet, with what it acknowledged lately
// (only the kinds the reader's role may read).
// Documenting needs a hub: a workstation that is not enrolled refuses it.
import type { AdministrationEntryData, PendingDocumentationData, VitalSignsEntryData } from '../../shared/contract/index.js';
import { chartReadEntry, documentationEntry, type AuditedChartReads, type AuditLog } from '../audit/index.js';
import {
  documentationKindOf,
  noteKindOf,
  readActionsOf,
  type Documentation,
  type DocumentationAuthor,
  type DocumentationReceipt,
} from '../documentation/index.js';
import { isPermitted, type GuardedSessions, type UserContext } from '../session/index.js';
import type { OutboxItem, Vault } from '../vault/index.js';
import type { PatientLookup } from './chart-handlers.js';
import type { IpcHandler } from './ipc-router.js';
import { guardKeptPatient, guardPatient } from './patient-guard.js';
import { notEnrolled } from './sync-handlers.js';
import { createViewReads, readView, type ViewReads } from './view-reads.js';
import type { SyncEngine } from '../sync/index.js';

export interface DocumentationHandlers {
  readonly 'chart:notes': IpcHandler<'chart:notes'>;
  readonly 'chart:record-note': IpcHandler<'chart:record-note'>;
  readonly 'chart:record-vitals': IpcHandler<'chart:record-vitals'>;
  readonly 'chart:check-administration': IpcHandler<'chart:check-administration'>;
  readonly 'chart:record-administration': IpcHandler<'chart:record-administration'>;
  readonly 'chart:pending': IpcHandler<'chart:pending'>;
}

export interface DocumentationHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly chart: AuditedChartReads;
  readonly patients: PatientLookup;
  readonly vault: Pick<Vault, 'outbox' | 'conflicts'>;
  /** The workstation's documentation, or null on a workstation that is not enrolled. */
  readonly documentation: Pick<
    Documentation,
    'recordNote' | 'recordVitalSigns' | 'recordMedicationAdministration' | 'checkMedicationAdministration'
  > | null;
  readonly audit: Pick<AuditLog, 'record'>;
  /** What the hub acknowledged lately (the sync engine), or null on a workstation that is not enrolled. */
  readonly deliveries: Pick<SyncEngine, 'deliveredRecently'> | null;
  /** Which chart-reads a refresh of the notes or the pending list already recorded (view-reads.ts); one per handler set by default. */
  readonly viewReads?: ViewReads;
}

/** Who documents, as the hub knows them: the session's hub user id as the Practitioner id. */
export function authorOf(user: UserContext): DocumentationAuthor {
  return { reference: `Practitioner/${user.userId}`, display: user.username };
}

/** The zod output without keys whose value is undefined. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function documentationHandlers({
  sessions,
  chart,
  patients,
  vault,
  documentation,
  audit,
  deliveries,
  viewReads,
}: DocumentationHandlerOptions): DocumentationHandlers {
  const views = viewReads ?? createViewReads();
  const enrolled = <S>(engine: S | null): S => {
    if (engine === null) throw notEnrolled();
    return engine;
  };
  // The audit entry is written inside the documentation's transaction, before it commits: if the
  // audit write fails, nothing was documented and the nurse's retry records it once.
  const auditOf =
    (user: UserContext, patientId: string, type: string) =>
    (receipt: DocumentationReceipt): void => {
      const resources = receipt.resourceIds.map((id) => `${type}/${id}`);
      audit.record(
        documentationEntry(
          user,
          'create',
          patientId,
          // The downtime Provenance is part of what the user documented; the online one only names her.
          receipt.downtime && receipt.provenanceId !== null ? [...resources, `Provenance/${receipt.provenanceId}`] : resources,
          {
            downtime: receipt.downtime,
          },
        ),
      );
    };
  const answer = (receipt: DocumentationReceipt) => ({
    entryId: receipt.entryId,
    resourceIds: [...receipt.resourceIds],
    status: 'pending-upload' as const,
  });
  return {
    'chart:notes': ({ patientId, offset, limit, refresh }) => {
      const user = guardPatient(sessions, patients, 'category:read:notes', patientId);
      const page = { offset: offset ?? 0, limit: limit ?? 50 };
      return readView(views, { sessionId: user.sessionId, view: 'notes', patientId, refresh }, (record) =>
        chart.notes(user, patientId, page, record),
      );
    },
    'chart:record-note': ({ patientId, note }) => {
      const user = guardPatient(sessions, patients, 'document:note', patientId);
      const receipt = enrolled(documentation).recordNote(
        patientId,
        { text: note.text, kind: noteKindOf(user.role), ...(note.title === undefined ? {} : { title: note.title }) },
        authorOf(user),
        auditOf(user, patientId, 'DocumentReference'),
      );
      return answer(receipt);
    },
    'chart:record-vitals': ({ patientId, vitals }) => {
      const user = guardPatient(sessions, patients, 'document:vital-signs', patientId);
      const receipt = enrolled(documentation).recordVitalSigns(
        patientId,
        defined<VitalSignsEntryData>(vitals),
        authorOf(user),
        auditOf(user, patientId, 'Observation'),
      );
      return answer(receipt);
    },
    'chart:check-administration': ({ patientId, administration }) => {
      guardPatient(sessions, patients, 'document:medication-administration', patientId);
      const verdict = enrolled(documentation).checkMedicationAdministration(patientId, defined<AdministrationEntryData>(administration));
      return {
        ...verdict,
        hardStops: [...verdict.hardStops],
        reasonsNeeded: [...verdict.reasonsNeeded],
        allergyConflicts: [...verdict.allergyConflicts],
      };
    },
    'chart:record-administration': ({ patientId, administration }) => {
      const user = guardPatient(sessions, patients, 'document:medication-administration', patientId);
      const receipt = enrolled(documentation).recordMedicationAdministration(
        patientId,
        defined<AdministrationEntryData>(administration),
        authorOf(user),
        auditOf(user, patientId, 'MedicationAdministration'),
      );
      return answer(receipt);
    },
    'chart:pending': ({ patientId, refresh }) => {
      const user = guardKeptPatient(sessions, patients, 'chart:read', patientId);
      // Only what the reader's role may see: a clerk's list holds no vital signs or doses.
      const mayRead = (items: readonly OutboxItem[]): boolean => readActionsOf(items).every((action) => isPermitted(user.role, action));
      const pending: PendingDocumentationData[] = vault.outbox
        .pending()
        .filter((entry) => entry.patientId === patientId && mayRead(entry.items))
        .map((entry) => ({
          entryId: entry.entryId,
          kind: documentationKindOf(entry.items),
          recordedAt: entry.createdAt,
          status: 'pending-upload',
          lastError: entry.lastError,
          deliveredAt: null,
        }));
      const conflicts: PendingDocumentationData[] = vault.conflicts
        .list()
        .filter((record) => record.patientId === patientId && mayRead(record.local.items))
        .map((record) => ({
          entryId: record.entryId,
          kind: documentationKindOf(record.local.items),
          recordedAt: record.local.createdAt,
          status: 'conflict',
          lastError: record.errorCode,
          deliveredAt: null,
        }));
      const delivered: PendingDocumentationData[] = (deliveries?.deliveredRecently(patientId) ?? [])
        .filter((entry) => mayRead(entry.items))
        .map((entry) => ({
          entryId: entry.entryId,
          kind: documentationKindOf(entry.items),
          recordedAt: entry.recordedAt,
          status: 'delivered',
          lastError: null,
          deliveredAt: entry.deliveredAt,
        }));
      readView(views, { sessionId: user.sessionId, view: 'pending', patientId, refresh }, (record) => {
        if (record)
          audit.record(chartReadEntry(user, patientId, 'pending', { detail: { pending: pending.length, conflicts: conflicts.length } }));
      });
      return [...[...pending, ...conflicts].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt)), ...delivered];
    },
  };
}
