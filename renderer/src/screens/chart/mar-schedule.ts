// The MAR's cells for one order: the administrations the host returned (given, late, held…) plus
// the doses due that have no record yet, from the order's times of day ("… at 08:00, 20:00").
// FHIR timeOfDay has no zone; the recorded doses tell whether the ward schedules in UTC or local time.
import type { MarRowData } from '../../../../shared/contract/index.js';

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
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

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

/** True when the order's dosage text says it is as needed (PRN); a dose without a scheduled time of any other order is an unscheduled dose, not "as needed". */
export function isAsNeededDosage(dosage: string | null): boolean {
  return dosage !== null && /\b(as needed|as required|prn)\b/i.test(dosage);
}

/** The times of day in a dosage text ("twice daily at 08:00, 20:00" → ["08:00", "20:00"]). */
export function timesOfDay(dosage: string | null): string[] {
  if (dosage === null) return [];
  const at = /\bat\s+(\d{1,2}:\d{2}(?:\s*(?:,|and)\s*\d{1,2}:\d{2})*)/i.exec(dosage);
  if (at === null) return [];
  return [...(at[1] ?? '').matchAll(/(\d{1,2}):(\d{2})/g)]
    .map(([, h, m]) => `${String(h).padStart(2, '0')}:${m}`)
    .filter((t) => Number(t.slice(0, 2)) < 24 && Number(t.slice(3)) < 60);
}

const utcHm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const localHm = (ms: number): string => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** Whether the order's times of day are UTC: true when a recorded dose was scheduled at one of them in UTC but not in local time. */
function scheduleIsUtc(times: readonly string[], scheduled: readonly number[]): boolean {
  return scheduled.some((ms) => times.includes(utcHm(ms)) && !times.includes(localHm(ms)));
}

function slotsBetween(times: readonly string[], utc: boolean, fromMs: number, toMs: number): number[] {
  const slots: number[] = [];
  const first = new Date(fromMs - DAY);
  for (let day = 0; day <= Math.ceil((toMs - fromMs) / DAY) + 1; day += 1) {
    for (const time of times) {
      const [h, m] = time.split(':').map(Number) as [number, number];
      const ms = utc
        ? Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate() + day, h, m)
        : new Date(first.getFullYear(), first.getMonth(), first.getDate() + day, h, m).getTime();
      if (ms >= fromMs && ms <= toMs) slots.push(ms);
    }
  }
  return slots.sort((a, b) => a - b);
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
  const times = timesOfDay(row.medication.dosage);
  if (times.length > 0 && row.medication.status === 'active') {
    const scheduled = row.administrations.map((a) => Date.parse(a.scheduledAt ?? '')).filter((ms) => !Number.isNaN(ms));
    const startMs = Date.parse(row.medication.authoredOn ?? '');
    for (const slot of slotsBetween(times, scheduleIsUtc(times, scheduled), fromMs, toMs)) {
      if (!Number.isNaN(startMs) && slot < startMs) continue;
      if (scheduled.some((ms) => Math.abs(ms - slot) < MINUTE)) continue;
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
