// The correction channels: a patient's recorded vital signs and doses (only the kinds the reader's
// role may read; the read is audited; an emergency chart's from its copy held in memory, where the
// trends read too, for reading only), and correcting one or marking it entered in error. Amending
// needs the right to document that kind (a vital sign: document:vital-signs; a dose:
// document:medication-administration) on a patient in the user's scope; it is audited as an update
// with the action and the reason's code (the free text stays in the record's note, not in the trail).
import type { AmendableType } from '../../shared/contract/index.js';
import { chartReadEntry, documentationEntry, type AuditLog } from '../audit/index.js';
import { recordedEntries, type Documentation } from '../documentation/index.js';
import { isPermitted, type Action, type GuardedSessions } from '../session/index.js';
import type { PatientLookup } from './chart-handlers.js';
import { authorOf } from './documentation-handlers.js';
import type { IpcHandler } from './ipc-router.js';
import { guardAll, guardPatient } from './patient-guard.js';
import { notEnrolled } from './sync-handlers.js';
import { createViewReads, readView, type ViewReads } from './view-reads.js';
import type { ResourceStore } from '../vault/index.js';

export interface AmendmentHandlers {
  readonly 'chart:recorded-entries': IpcHandler<'chart:recorded-entries'>;
  readonly 'chart:amend': IpcHandler<'chart:amend'>;
}

export interface AmendmentHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly patients: PatientLookup;
  /** The workstation's documentation, or null on a workstation that is not enrolled. */
  readonly documentation: Pick<Documentation, 'amend'> | null;
  /** The chart cache's resources (the recorded entries are read there, also on a workstation not enrolled). */
  readonly resources: Pick<ResourceStore, 'ofPatientBetween' | 'versionOf'>;
  /**
   * The active session's emergency copy of a patient off this ward (break-the-glass, held in memory),
   * or null: its recorded entries are read there, as its trends are, and offered for reading only
   * (documenting for such a patient is refused).
   */
  readonly emergencyCopy?: (patientId: string) => Pick<ResourceStore, 'ofPatientBetween' | 'versionOf'> | null;
  readonly audit: Pick<AuditLog, 'record'>;
  /** Which chart-reads a refresh of the list already recorded (view-reads.ts); one per handler set by default. */
  readonly viewReads?: ViewReads;
}

const READ: Readonly<Record<AmendableType, Action>> = {
  Observation: 'category:read:vital-signs',
  MedicationAdministration: 'category:read:medication',
};

/** Amending a record is documenting it again: the same action of the one permission table. */
const DOCUMENT: Readonly<Record<AmendableType, Action>> = {
  Observation: 'document:vital-signs',
  MedicationAdministration: 'document:medication-administration',
};

export function amendmentHandlers({
  sessions,
  patients,
  documentation,
  resources,
  emergencyCopy = () => null,
  audit,
  viewReads,
}: AmendmentHandlerOptions): AmendmentHandlers {
  const views = viewReads ?? createViewReads();
  return {
    'chart:recorded-entries': ({ patientId, from, to, refresh }) => {
      const user = guardPatient(sessions, patients, 'chart:read', patientId);
      const types = new Set((Object.keys(READ) as AmendableType[]).filter((type) => isPermitted(user.role, READ[type])));
      const copy = emergencyCopy(patientId);
      const entries =
        copy === null
          ? recordedEntries(resources, patientId, { from, to }, types)
          : recordedEntries(copy, patientId, { from, to }, types).map((entry) => ({
              ...entry,
              canCorrect: false,
              canRetract: false,
              fields: [],
            }));
      // A refresh of the list already open (view-reads.ts) records no new chart-read.
      readView(views, { sessionId: user.sessionId, view: 'recorded-entries', patientId, refresh }, (record) => {
        if (record) audit.record(chartReadEntry(user, patientId, 'recorded-entries', { detail: { entries: entries.length } }));
      });
      return entries;
    },
    'chart:amend': (request) => {
      const user = guardAll(
        (action) => guardPatient(sessions, patients, action, request.patientId),
        [READ[request.resourceType], DOCUMENT[request.resourceType]],
      );
      if (documentation === null) throw notEnrolled();
      // Audited inside the documentation's transaction: a failed audit write leaves the record unchanged.
      const receipt = documentation.amend(request, authorOf(user), (made) => {
        const resources = [`${request.resourceType}/${request.id}`];
        const entry = documentationEntry(
          user,
          'update',
          request.patientId,
          made.downtime && made.provenanceId !== null ? [...resources, `Provenance/${made.provenanceId}`] : resources,
          { downtime: made.downtime },
        );
        audit.record({ ...entry, detail: { ...entry.detail, amendment: request.action, reason: request.reason } });
      });
      return { entryId: receipt.entryId, status: 'pending-upload' as const };
    },
  };
}
