// The chart channels: each asks the session guard with the patient in hand (ward scope,
// restriction, break-the-glass), then reads through the audit room's audited chart reads, which
// commit the audit entry before the data is handed back. A summary holds only the categories the
// reader's role may see.
import type { AuditedChartReads } from '../audit/index.js';
import { guard, type GuardedPatient, type GuardedSessions } from '../session/index.js';
import type { IpcHandler } from './ipc-router.js';
import { summaryForRole } from './summary-for-role.js';

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
}

export function chartHandlers({ sessions, chart, patients }: ChartHandlerOptions): ChartHandlers {
  const forPatient = (action: 'chart:read' | 'category:read:vital-signs' | 'category:read:medication', patientId: string) => {
    const patient = patients(patientId);
    return guard(sessions, patient === null ? { action } : { action, patient });
  };
  return {
    'chart:census': () => chart.census(guard(sessions, { action: 'census:read' })),
    'chart:summary': ({ patientId }) => {
      const user = forPatient('chart:read', patientId);
      const summary = chart.patientSummary(user, patientId);
      return summary === null ? null : summaryForRole(summary, user.role);
    },
    'chart:trend': ({ patientId, code, from, to }) =>
      chart.observationTrend(forPatient('category:read:vital-signs', patientId), patientId, code, from, to),
    'chart:mar': ({ patientId, from, to }) =>
      chart.medicationAdministrationRecord(forPatient('category:read:medication', patientId), patientId, from, to),
  };
}
