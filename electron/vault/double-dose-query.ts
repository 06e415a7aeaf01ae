// The slots of a patient's scheduled orders recorded more than once in the last and next day, as
// the census and the chart summary carry them (shared/medication-safety doubleDoseSlots: the MAR's
// own rule, read over the MAR of that window), so a clinician who does not open the MAR sees them.
import { DOUBLE_DOSE_SUMMARY_WINDOW_MS, doubleDoseSlots, type DoubleDoseSlot } from '../../shared/medication-safety/index.js';
import type { ChartReads } from './chart-reads.js';
import { medicationAdministrationRecord } from './mar-query.js';

export function dosesRecordedTwice(reads: ChartReads, patientId: string, nowMs: number): DoubleDoseSlot[] {
  const rows = medicationAdministrationRecord(
    reads,
    patientId,
    nowMs - DOUBLE_DOSE_SUMMARY_WINDOW_MS,
    nowMs + DOUBLE_DOSE_SUMMARY_WINDOW_MS,
  );
  return doubleDoseSlots(
    rows.map((row) => ({ medication: row.medication.medication, prn: row.medication.asNeeded, doses: row.administrations })),
    nowMs,
  );
}
