// The chart channels: each asks the session guard with the patient in hand (ward scope,
// restriction, break-the-glass), then reads through the audit room's audited chart reads, which
// commit the audit entry before the data is handed back. A summary holds only the categories the
// reader's role may see. A reload the window calls a refresh (`refresh`: the view it already has
// open, after a sync:changed or a local write) records no new chart-read for a patient that
// opening already recorded in this session (view-reads.ts); anything else is recorded. A summary
// also says whether the chart may be documented here (`readOnly`: the rule every save enforces).
import type { ReadOnlyChartReason } from '../../shared/access/index.js';
import type { AuditedChartReads } from '../audit/index.js';
import { guard, type GuardedPatient, type GuardedSessions } from '../session/index.js';
import type { IpcHandler } from './ipc-router.js';
import { censusForRole, summaryForRole } from './summary-for-role.js';
import { createViewReads, readView, type ViewReads } from './view-reads.js';

/** What the guard needs to know of a patient, or null when the chart cache does not hold them. */
export type PatientLookup = (patientId: string) => GuardedPatient | null;

export interface ChartHandlers {
  readonly 'chart:census': IpcHandler<'chart:census'>;
  readonly 'chart:summary': IpcHandler<'chart:summary'>;
  readonly 'chart:trend': IpcHandler<'chart:trend'>;
  readonly 'chart:mar': IpcHandler<'chart:mar'>;
}

export interface ChartHandlerOptions {
  readonly sessions: GuardedSessions;
  readonly chart: AuditedChartReads;
  readonly patients: PatientLookup;
  /** Why nothing can be documented for the patient here, or null (the documentation room's readOnlyReasonFor over the chart cache). */
  readonly readOnly: (patientId: string) => ReadOnlyChartReason | null;
  /** Which chart-reads a refresh already recorded (view-reads.ts); one per handler set by default. */
  readonly viewReads?: ViewReads;
}

export function chartHandlers({ sessions, chart, patients, readOnly, viewReads }: ChartHandlerOptions): ChartHandlers {
  const views = viewReads ?? createViewReads();
  const forPatient = (action: 'chart:read' | 'category:read:vital-signs' | 'category:read:medication', patientId: string) => {
    const patient = patients(patientId);
    return guard(sessions, patient === null ? { action } : { action, patient });
  };
  return {
    'chart:census': () => {
      const user = guard(sessions, { action: 'census:read' });
      return censusForRole(chart.census(user), user.role);
    },
    'chart:summary': ({ patientId, refresh }) => {
      const user = forPatient('chart:read', patientId);
      const at = { sessionId: user.sessionId, view: 'summary', patientId, refresh };
      const summary = readView(views, at, (record) => chart.patientSummary(user, patientId, record));
      return summary === null ? null : { ...summaryForRole(summary, user.role), readOnly: readOnly(patientId) };
    },
    'chart:trend': ({ patientId, code, from, to, refresh }) => {
      const user = forPatient('category:read:vital-signs', patientId);
      const at = { sessionId: user.sessionId, view: 'trend', patientId, refresh };
      return readView(views, at, (record) => chart.observationTrend(user, patientId, code, from, to, record));
    },
    'chart:mar': ({ patientId, from, to, refresh }) => {
      const user = forPatient('category:read:medication', patientId);
      const at = { sessionId: user.sessionId, view: 'mar', patientId, refresh };
      return readView(views, at, (record) => chart.medicationAdministrationRecord(user, patientId, from, to, record));
    },
  };
}
