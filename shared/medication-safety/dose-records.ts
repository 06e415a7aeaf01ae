// Which recorded doses stand as the record of their slot: every administration on the MAR (given,
// late, held, in progress…) except one marked "entered in error". A retracted dose was never given
// as recorded: its slot is due (or not recorded) again and the right dose is recorded against it,
// while the retraction stays listed as such. The MAR tab, the printed MAR and the host's frequency
// check (a second dose for a slot already recorded is refused) read this one rule.
//
// Which doses are "in one slot": doses of one scheduled order whose scheduled times lie within a
// minute of each other (the slot they record; a dose of an as-needed order, or one recorded with no
// scheduled time, is in no slot). The host refuses a second standing dose for a slot
// (DOSE_BEYOND_FREQUENCY), but a dose recorded in downtime and one recorded at the hub (or on
// another workstation) meet only after the sync, where the hub takes both: a dose documented as
// given is a fact. So the MAR tab and the printed MAR flag every slot held by more than one
// standing dose (slotsRecordedMoreThanOnce) with the words of doubleDoseAlert, and the census and
// the patient banner flag those of the last and next day (doubleDoseSlots, computed by the host).

/** The MAR states of a dose withdrawn from the record (FHIR MedicationAdministration.status). */
export const RETRACTED_DOSE_STATES: readonly string[] = ['entered-in-error'];

/** A recorded administration as the slot rules need it: its MAR state and its scheduled time. */
export interface RecordedDose {
  readonly state: string;
  readonly scheduledAt: string | null;
}

/** Whether a recorded dose stands as the record of its slot (false once marked entered in error). */
export function standsAsRecord(dose: Pick<RecordedDose, 'state'>): boolean {
  return !RETRACTED_DOSE_STATES.includes(dose.state);
}

/** The doses that stand as records (those not marked entered in error). */
export function standingDoses<T extends Pick<RecordedDose, 'state'>>(doses: readonly T[]): T[] {
  return doses.filter(standsAsRecord);
}

/** Doses whose scheduled times lie within this of each other record the same slot. */
export const SAME_SLOT_MS = 60_000;

/** Whether two scheduled times name the same slot (within a minute of each other); false when either is absent or unreadable. */
export function sameSlot(a: string | null, b: string | null): boolean {
  const aMs = Date.parse(a ?? '');
  const bMs = Date.parse(b ?? '');
  return !Number.isNaN(aMs) && !Number.isNaN(bMs) && Math.abs(aMs - bMs) < SAME_SLOT_MS;
}

/** One slot held by more than one standing dose: its scheduled time (the earliest dose's) and those doses, in the order given. */
export interface SlotRecordedMoreThanOnce<T> {
  readonly scheduledAt: string;
  readonly doses: readonly T[];
}

/**
 * The slots of a scheduled order held by more than one standing dose (none for an as-needed
 * order: its doses fill no slot), in time order. A dose marked entered in error does not count.
 */
export function slotsRecordedMoreThanOnce<T extends RecordedDose>(
  order: { readonly prn: boolean },
  doses: readonly T[],
): SlotRecordedMoreThanOnce<T>[] {
  if (order.prn) return [];
  const scheduled = standingDoses(doses)
    .filter((dose) => !Number.isNaN(Date.parse(dose.scheduledAt ?? '')))
    .sort((a, b) => Date.parse(a.scheduledAt!) - Date.parse(b.scheduledAt!));
  const slots: { scheduledAt: string; doses: T[] }[] = [];
  for (const dose of scheduled) {
    const last = slots.at(-1);
    if (last !== undefined && sameSlot(last.scheduledAt, dose.scheduledAt)) last.doses.push(dose);
    else slots.push({ scheduledAt: dose.scheduledAt!, doses: [dose] });
  }
  return slots.filter((slot) => slot.doses.length > 1);
}

/**
 * The alert for a slot held by more than one standing dose, in clinical words; `when` is the slot's
 * time as the screen or print shows it. The patient may really have had both doses: the physician
 * decides, and a dose recorded by mistake is marked entered in error (never deleted).
 */
export function doubleDoseAlert(count: number, when: string): string {
  return `${count} doses recorded for this ${when} dose: check with the patient's physician; if one was recorded by mistake, mark it entered in error.`;
}

/** The words that name the flag wherever it shows (the census, the patient banner; the printed MAR in capitals). */
export const DOUBLE_DOSE_TITLE = 'Dose recorded twice';

/** The flag beyond the MAR, whole: "Dose recorded twice — {medication}: {doubleDoseAlert}". */
export function doubleDoseNotice(medication: string, count: number, when: string): string {
  return `${DOUBLE_DOSE_TITLE} — ${medication}: ${doubleDoseAlert(count, when)}`;
}

/**
 * How far before and after now the census and the patient banner look for a slot recorded twice:
 * a clinician who does not open the MAR sees a double dose of the last day (or of one recorded
 * ahead), as the printed MAR's day shows it; the MAR tab flags every slot it shows.
 */
export const DOUBLE_DOSE_SUMMARY_WINDOW_MS = 24 * 60 * 60_000;

/** A slot recorded more than once, as the census and the chart summary carry it. */
export interface DoubleDoseSlot {
  /** The order's medication, in words. */
  readonly medication: string;
  /** The slot's scheduled time (ISO). */
  readonly scheduledAt: string;
  /** How many standing doses hold it (2 or more). */
  readonly count: number;
}

/**
 * The slots recorded more than once among a patient's orders (each with its doses, as the MAR
 * reads them), scheduled within DOUBLE_DOSE_SUMMARY_WINDOW_MS of `nowMs`, in time order.
 */
export function doubleDoseSlots(
  orders: ReadonlyArray<{ readonly medication: string; readonly prn: boolean; readonly doses: readonly RecordedDose[] }>,
  nowMs: number,
): DoubleDoseSlot[] {
  return orders
    .flatMap((order) =>
      slotsRecordedMoreThanOnce(order, order.doses).map((slot) => ({
        medication: order.medication,
        scheduledAt: slot.scheduledAt,
        count: slot.doses.length,
      })),
    )
    .filter((slot) => Math.abs(Date.parse(slot.scheduledAt) - nowMs) <= DOUBLE_DOSE_SUMMARY_WINDOW_MS)
    .sort((a, b) => Date.parse(a.scheduledAt) - Date.parse(b.scheduledAt));
}
