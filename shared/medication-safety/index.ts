// Medication safety: the five rights at every administration, as pure rules both sides use. The
// host computes the verdict (authoritative, with the vault's facts and UCUM conversion) when the
// dialog asks and again when a dose is recorded; the dialog shows it and offers these reasons.
// Owns the reason lists, the allergy class table, the dose, time and frequency rules and the
// patient confirmation (second identifier), and the one reading of an order's schedule (PRN or
// scheduled, its dose days, its times of day and its dose slots, which recorded doses stand for
// their slot: not one marked entered in error, which doses are in one slot, and the alert for a slot
// recorded more than once) that the MAR tab, the printed MAR and the host's documentation service
// share.
export * from './reasons.js';
export { ucumCodeOf, type UnitConverter } from './units.js';
export { checkDose, HARD_STOP_DOSE_MULTIPLE, type Dose, type DoseFinding } from './dose-rule.js';
export { DEFAULT_ADMINISTRATION_WINDOW_MINUTES, TIMING_MARK_LABELS, timingOf, needsTimingReason, type TimingMark } from './time-rule.js';
export { orderScheduleOf, scheduledTimesOfDay, type OrderSchedule } from './order-schedule.js';
export { DAILY_ROUND_TIMES, EVENT_TIMES, INTERVAL_FIRST_HOUR } from './standard-times.js';
export {
  scheduleZoneOf,
  slotsBetween,
  unrecordedSlots,
  zoneClock,
  zoneDayOf,
  zoneTimeOfDay,
  type SlotOrder,
  type ZoneClock,
} from './dose-slots.js';
export {
  DOUBLE_DOSE_SUMMARY_WINDOW_MS,
  DOUBLE_DOSE_TITLE,
  RETRACTED_DOSE_STATES,
  SAME_SLOT_MS,
  doubleDoseAlert,
  doubleDoseNotice,
  doubleDoseSlots,
  sameSlot,
  slotsRecordedMoreThanOnce,
  standingDoses,
  standsAsRecord,
  type DoubleDoseSlot,
  type RecordedDose,
  type SlotRecordedMoreThanOnce,
} from './dose-records.js';
export {
  EVERY_DAY,
  MAX_CYCLE_MONTHS,
  WEEKDAYS,
  cycleOf,
  dayNumberOf,
  isDoseDay,
  weekdayOf,
  type DoseDays,
  type Weekday,
} from './dose-days.js';
export {
  checkFrequency,
  localWardClock,
  type EarlierDose,
  type DoseToCheck,
  type FrequencyFinding,
  type WardClock,
} from './frequency-rule.js';
export {
  ALLERGY_CLASSES,
  allergyClassConflicts,
  type AllergyClassConflict,
  type DrugClass,
  type SubstanceName,
} from './allergy-classes.js';
export { confirmedIdentifier, confirmsPatient, type ConfirmationMethod, type PatientConfirmation } from './patient-confirmation.js';
export {
  administrationVerdict,
  missingReasons,
  type AdministrationAttempt,
  type AdministrationFacts,
  type AdministrationVerdict,
  type HardStop,
  type ReasonCheck,
  type ReasonRequest,
} from './administration-verdict.js';
export {
  ADMINISTRATION_TIMING_EXTENSION_URL,
  ADMINISTRATION_REASON_EXTENSION_URL,
  PATIENT_CONFIRMATION_EXTENSION_URL,
} from './administration-extensions.js';
