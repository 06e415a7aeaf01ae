// When an order's doses fall, for the downtime MAR: the order's schedule as the vault read it from
// the structured dosage (shared/medication-safety), laid on the ward's calendar by the one slot
// reading the MAR tab uses too; the doses due ahead that have no record yet, and those of the last
// 24 hours without one (missed).
import { unrecordedSlots, type SlotOrder } from '../../shared/medication-safety/index.js';
import type { MarRow } from '../vault/index.js';

const HOUR_MS = 3_600_000;

export interface OrderDoses {
  /** Scheduled doses from now to the look-ahead's end without a record, as ISO instants. */
  readonly due: readonly string[];
  /** Scheduled doses of the look-back (more than an hour ago) with no record at all. */
  readonly missed: readonly string[];
}

/** A scheduled dose with no record this long after its time counts as missed. */
const MISSED_AFTER_MS = HOUR_MS;

function slotOrderOf(row: MarRow): SlotOrder {
  return {
    prn: row.medication.asNeeded,
    timesOfDay: row.medication.timesOfDay,
    doseDays: row.medication.doseDays,
    startsAt: row.medication.authoredOn,
    recorded: row.administrations,
  };
}

export function orderDoses(row: MarRow, nowMs: number, lookBackMs: number, aheadMs: number, timeZone: string | undefined): OrderDoses {
  const order = slotOrderOf(row);
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    due: unrecordedSlots(order, nowMs, nowMs + aheadMs, timeZone).map(iso),
    missed: unrecordedSlots(order, nowMs - lookBackMs, nowMs - MISSED_AFTER_MS, timeZone).map(iso),
  };
}
