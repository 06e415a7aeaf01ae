// The MAR's cells for one order: the administrations the host returned (given, late, held…) plus
// the doses due that have no record yet, from the order's structured schedule (PRN or its times of
// day, read by the host from the dosage's timing) laid out by shared/medication-safety's slot
// reading, the same the printed MAR uses; and the alert for each slot recorded more than once
// (shared/medication-safety's slot rule, which the printed MAR and the host's frequency check use).
import type { MarRowData } from '../../../../shared/contract/index.js';
import { formatDayTime } from '../../../../shared/display/index.js';
import { doubleDoseAlert, slotsRecordedMoreThanOnce, unrecordedSlots } from '../../../../shared/medication-safety/index.js';

export type MarCellKind = MarRowData['administrations'][number]['state'] | 'due' | 'not-recorded';

export interface MarCell {
  readonly key: string;
  readonly kind: MarCellKind;
  readonly scheduledAt: string | null;
  readonly administeredAt: string | null;
  readonly dose: string | null;
  readonly reason: string | null;
  readonly performer: string | null;
  /** The MedicationAdministration's id; null for a dose due without a record. */
  readonly administrationId: string | null;
}

/** A dose due more than this long ago without a record is shown as not recorded. */
export const NOT_RECORDED_AFTER_MS = 60 * 60 * 1000;

const STATE_TEXT: Readonly<Record<MarCellKind, string>> = {
  given: 'Given',
  late: 'Given late',
  held: 'Held',
  due: 'Due',
  'not-recorded': 'Not recorded',
  'in-progress': 'In progress',
  'on-hold': 'On hold',
  stopped: 'Stopped',
  'entered-in-error': 'Entered in error',
  unknown: 'Unknown',
};

export function marStateText(kind: MarCellKind): string {
  return STATE_TEXT[kind];
}

/** Every cell of an order in [fromMs, toMs], in time order. */
export function marCells(row: MarRowData, fromMs: number, toMs: number, nowMs: number): MarCell[] {
  const cells: MarCell[] = row.administrations.map((a) => ({
    key: a.id,
    kind: a.state,
    scheduledAt: a.scheduledAt,
    administeredAt: a.administeredAt,
    dose: a.dose,
    reason: a.reason,
    performer: a.performer,
    administrationId: a.id,
  }));
  if (row.medication.status === 'active') {
    const order = {
      prn: row.medication.asNeeded,
      timesOfDay: row.medication.timesOfDay,
      doseDays: row.medication.doseDays,
      startsAt: row.medication.authoredOn,
      recorded: row.administrations,
    };
    for (const slot of unrecordedSlots(order, fromMs, toMs)) {
      const scheduledAt = new Date(slot).toISOString();
      cells.push({
        key: `due-${slot}`,
        kind: slot < nowMs - NOT_RECORDED_AFTER_MS ? 'not-recorded' : 'due',
        scheduledAt,
        administeredAt: null,
        dose: null,
        reason: null,
        performer: null,
        administrationId: null,
      });
    }
  }
  const anchor = (c: MarCell): number => Date.parse(c.scheduledAt ?? c.administeredAt ?? '') || 0;
  return cells.sort((a, b) => anchor(a) - anchor(b));
}

/** A slot of the order held by more than one standing dose, and the alert the MAR shows for it. */
export interface MarSlotAlert {
  readonly key: string;
  readonly scheduledAt: string;
  readonly text: string;
}

/** The slots of an order recorded more than once in [fromMs, toMs] (doses marked entered in error do not count), in time order. */
export function marSlotAlerts(row: MarRowData, fromMs: number, toMs: number): MarSlotAlert[] {
  return slotsRecordedMoreThanOnce({ prn: row.medication.asNeeded }, row.administrations)
    .filter((slot) => {
      const at = Date.parse(slot.scheduledAt);
      return at >= fromMs && at <= toMs;
    })
    .map((slot) => ({
      key: `twice-${slot.scheduledAt}`,
      scheduledAt: slot.scheduledAt,
      text: doubleDoseAlert(slot.doses.length, formatDayTime(slot.scheduledAt)),
    }));
}
