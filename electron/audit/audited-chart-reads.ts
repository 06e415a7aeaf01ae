// The vault's chart queries, each recording its audit entries before it hands back the data: the
// census one query entry per patient it shows that user for the first time in that session (a
// background refresh showing the same patients records nothing; a patient newly listed records one
// entry), a chart summary, trend, MAR or notes one read entry. If the entry cannot be committed the
// call throws and nothing is shown: no view without an entry. The caller passes who is asking as the
// session guard answered it. A summary, trend, MAR or notes call made with `record: false` records
// nothing: only the host passes it, for a refresh of a view whose opening it already recorded for
// that patient in that session (electron/host/view-reads.ts).
import type { UserContext } from '../session/index.js';
import type { CensusEntry, ChartQueries, MarRow, NotesPage, NotesPageEntries, PatientSummary, TrendPoint } from '../vault/index.js';
import type { AuditLog } from './audit-log.js';
import { chartReadEntry, queryEntries } from './host-entries.js';

export interface AuditedChartReads {
  census(user: UserContext): CensusEntry[];
  patientSummary(user: UserContext, patientId: string, record?: boolean): PatientSummary | null;
  observationTrend(user: UserContext, patientId: string, code: string, fromIso: string, toIso: string, record?: boolean): TrendPoint[];
  medicationAdministrationRecord(user: UserContext, patientId: string, fromIso: string, toIso: string, record?: boolean): MarRow[];
  notes(user: UserContext, patientId: string, page: NotesPage, record?: boolean): NotesPageEntries;
}

/** The census as the FHIR query it stands for (DESIGN, wire protocol). */
export function censusQueryText(ward: string): string {
  return `Encounter?location=Location/${encodeURIComponent(ward)}&status=in-progress&_include=Encounter:patient`;
}

/** What the census last showed each user: in which session, and which patients. */
interface CensusShown {
  readonly sessionId: string;
  readonly patientIds: ReadonlySet<string>;
}

export function auditedChartReads(chart: ChartQueries, log: AuditLog): AuditedChartReads {
  const shown = new Map<string, CensusShown>();
  return {
    census(user) {
      const entries = chart.census();
      const patientIds = entries.map((e) => e.patientId);
      const last = shown.get(user.userId);
      const before = last?.sessionId === user.sessionId ? last.patientIds : new Set<string>();
      const newlyShown = patientIds.filter((id) => !before.has(id));
      if (newlyShown.length > 0) {
        log.recordAll(
          queryEntries(user, newlyShown, censusQueryText(user.workstationWard), { view: 'census', results: patientIds.length }),
        );
      }
      // Only once the entries are committed: a refresh whose entries failed shows nothing and is tried again.
      shown.set(user.userId, { sessionId: user.sessionId, patientIds: new Set(patientIds) });
      return entries;
    },
    patientSummary(user, patientId, record = true) {
      const summary = chart.patientSummary(patientId);
      if (record) log.record(chartReadEntry(user, patientId, 'summary', { found: summary !== null }));
      return summary;
    },
    observationTrend(user, patientId, code, fromIso, toIso, record = true) {
      const points = chart.observationTrend(patientId, code, fromIso, toIso);
      if (record)
        log.record(chartReadEntry(user, patientId, 'trend', { detail: { code, from: fromIso, to: toIso, points: points.length } }));
      return points;
    },
    medicationAdministrationRecord(user, patientId, fromIso, toIso, record = true) {
      const rows = chart.medicationAdministrationRecord(patientId, fromIso, toIso);
      if (record) log.record(chartReadEntry(user, patientId, 'mar', { detail: { from: fromIso, to: toIso, medications: rows.length } }));
      return rows;
    },
    notes(user, patientId, page, record = true) {
      const answer = chart.notes(patientId, page);
      if (record) log.record(chartReadEntry(user, patientId, 'notes', { detail: { notes: answer.notes.length, offset: page.offset } }));
      return answer;
    },
  };
}
