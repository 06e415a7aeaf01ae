// How values read on every screen, dialog and print: one clinical time format for the app.
// Runtime-neutral (Intl only).
export {
  formatDateTime,
  formatTime,
  formatDayTime,
  formatRecentTime,
  instantMs,
  formatTick,
  formatCalendarDate,
  instantOf,
  windowAround,
  localInputValue,
  fromLocalInputValue,
} from './clinical-time.js';
export { ALLERGY_WORDING, ALLERGIES_NOT_RECORDED_ADVICE, allergyState, allergyText, type AllergyRecordState } from './allergy-wording.js';
export { counted } from './count-words.js';
