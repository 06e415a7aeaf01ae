// The privacy officer's channels on the workstation: a page of the audit trail (newest first) and
// the export of what a filter selects. The host turns what she typed into ids first (a username
// through the session's user directory, an MRN or the words of a name through the patients the
// chart cache holds) and, when it answers, resolves each entry's username and patient name and MRN
// from the same places: none of it is stored. The audit room guards, reads and records the view or
// the export (as ids) before anything is shown or written. An export goes to a file the person chose
// in the save dialog (the SaveFileChooser port); the host writes it, readable by this OS user only.
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import type { Logger } from 'pino';
import type { AuditEntryViewData, ParsedRequestOf } from '../../shared/contract/index.js';
import { isWardlineError } from '../../shared/errors/index.js';
import {
  auditViewCsv,
  exportAuditView,
  usernameTriedOf,
  viewAuditTrail,
  type AuditEntry,
  type AuditEntryLabels,
  type AuditLog,
  type AuditViewFilter,
} from '../audit/index.js';
import { guard, normalizeUsername, type CredentialStore, type GuardedSessions } from '../session/index.js';
import type { PatientDirectory, PatientIdentity } from '../vault/index.js';
import { HostError } from './host-error.js';
import type { IpcHandler } from './ipc-router.js';
import type { SaveFileChooser } from './save-file-chooser.js';

export interface AuditTrailHandlers {
  readonly 'audit:view': IpcHandler<'audit:view'>;
  readonly 'audit:export': IpcHandler<'audit:export'>;
}

export interface AuditTrailHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly audit: AuditLog;
  /** The session's user directory: usernames of the users who signed in here. */
  readonly users: Pick<CredentialStore, 'findByUsername' | 'list'>;
  /** The patients the chart cache holds. */
  readonly patients: PatientDirectory;
  /** Where an export goes; null: this host cannot save files (evaluation mode). */
  readonly saveFile: SaveFileChooser | null;
  readonly logger: Logger;
  /** Epoch ms (the host's clock): the suggested file name. */
  readonly now: () => number;
}

type FilterRequest = ParsedRequestOf<'audit:export'>;

const EXPORT_UNAVAILABLE_MESSAGE =
  'This window cannot save files, so the audit trail cannot be exported from here. Export it in the Wardline app, or ask IT to run "wardline audit export" on this workstation.';

/** The export's suggested file name: when, never who or which patient. */
export function auditExportFileName(nowMs: number): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `wardline-audit-${stamp}.csv`;
}

export function auditTrailHandlers(options: AuditTrailHandlerOptions): AuditTrailHandlers {
  const { sessions, audit, users, patients, logger } = options;

  /** What she typed, as ids: the users a username designates, the patients an MRN or name does. */
  const filterOf = async (request: FilterRequest): Promise<AuditViewFilter> => {
    const username = request.username === undefined ? undefined : normalizeUsername(request.username);
    const user = username === undefined ? null : await users.findByUsername(username);
    return {
      ...(request.patientId === undefined ? {} : { patientId: request.patientId }),
      ...(request.userId === undefined ? {} : { userId: request.userId }),
      ...(request.patient === undefined ? {} : { patients: patients.matching(request.patient) }),
      ...(username === undefined ? {} : { users: user === null ? [] : [user.userId], usernameTried: username }),
      ...(request.from === undefined ? {} : { from: request.from }),
      ...(request.to === undefined ? {} : { to: request.to }),
    };
  };

  /** Resolves usernames and patients for a set of entries, now, from the directory and the cache. */
  const labeller = async (): Promise<(entry: AuditEntry) => AuditEntryLabels> => {
    const usernames = new Map((await users.list()).map((record) => [record.userId, record.username]));
    const held = new Map<string, PatientIdentity | null>();
    return (entry) => {
      let patient: PatientIdentity | null = null;
      if (entry.patient !== null) {
        if (!held.has(entry.patient)) held.set(entry.patient, patients.identities([entry.patient]).get(entry.patient) ?? null);
        patient = held.get(entry.patient) ?? null;
      }
      return { username: entry.user === null ? null : (usernames.get(entry.user) ?? null), patient };
    };
  };

  const entryView = (entry: AuditEntry, labels: AuditEntryLabels): AuditEntryViewData => ({
    sequence: entry.sequence,
    time: entry.time,
    user: entry.user,
    username: labels.username,
    usernameTried: usernameTriedOf(entry),
    session: entry.session,
    action: entry.action,
    patient: entry.patient,
    patientLabel: labels.patient === null ? null : { name: labels.patient.name, mrn: labels.patient.mrn },
    resources: [...entry.resources],
    outcome: entry.outcome,
    purposeOfUse: entry.purposeOfUse,
    query: entry.query,
    hash: entry.hash,
  });

  return {
    'audit:view': async (request) => {
      // Refused before anything is looked up for someone who may not read the trail.
      guard(sessions, { action: 'audit:view' });
      const filter = await filterOf(request);
      const page = viewAuditTrail(sessions, audit, {
        ...filter,
        ...(request.beforeSequence === undefined ? {} : { beforeSequence: request.beforeSequence }),
        ...(request.limit === undefined ? {} : { limit: request.limit }),
      });
      const labelsOf = await labeller();
      return {
        entries: page.entries.map((entry) => entryView(entry, labelsOf(entry))),
        nextBeforeSequence: page.nextBeforeSequence,
        upload: { pending: audit.queue.pendingCount(), lastAcknowledgedUpload: audit.queue.lastAcknowledgedAt() },
      };
    },
    'audit:export': async (request) => {
      guard(sessions, { action: 'audit:view' });
      if (options.saveFile === null) throw new HostError('EXPORT_UNAVAILABLE', EXPORT_UNAVAILABLE_MESSAGE);
      const filter = await filterOf(request);
      const path = await options.saveFile.choose({
        suggestedName: auditExportFileName(options.now()),
        typeName: 'CSV',
        extensions: ['csv'],
      });
      if (path === null) return { saved: false as const };
      // Guarded again (the session may have locked while the dialog was open), then recorded.
      const entries = exportAuditView(sessions, audit, filter, { format: 'csv' });
      const labelsOf = await labeller();
      let written = -1;
      let fd: number | null = null;
      try {
        fd = openSync(path, 'w', 0o600);
        for (const line of auditViewCsv(entries, labelsOf)) {
          writeSync(fd, `${line}\n`);
          written += 1;
        }
        fsyncSync(fd);
      } catch (error) {
        if (isWardlineError(error)) throw error;
        logger.warn(
          { event: 'audit.view_export_failed', code: (error as NodeJS.ErrnoException).code ?? 'error' },
          'audit export not saved',
        );
        throw new HostError(
          'EXPORT_FAILED',
          `The export could not be saved there (${(error as NodeJS.ErrnoException).code ?? 'error'}). Choose another folder, or ask IT to check the disk.`,
        );
      } finally {
        if (fd !== null) closeSync(fd);
      }
      logger.info({ event: 'audit.view_export', entries: written }, 'audit trail exported from the audit view');
      return { saved: true as const, fileName: basename(path), entries: written };
    },
  };
}
