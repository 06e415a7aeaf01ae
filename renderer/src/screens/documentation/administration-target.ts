// What a "Record administration" starts from: the order (as the chart summary lists it) and, when
// recorded from a MAR slot, the dose's scheduled time.
import type { PatientSummaryData } from '../../../../shared/contract/index.js';

export type MedicationOrder = PatientSummaryData['medications'][number];

export interface AdministrationTarget {
  readonly order: MedicationOrder;
  /** The scheduled time of the dose, when recorded from a MAR slot. */
  readonly scheduledAt: string | null;
}
