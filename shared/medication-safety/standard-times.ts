// The ward's standard administration times: where an order's timing names no clock time, its
// doses fall at these. FHIR Timing.repeat.when (HL7 event timing: morning, before breakfast,
// at bedtime…) maps to a time of day; a frequency with no times ("twice daily", "every 8 hours")
// takes the standard round times. A site with other round times edits these two tables.

/** Times of day (hh:mm) for the HL7 event-timing codes of Timing.repeat.when. */
export const EVENT_TIMES: Readonly<Record<string, readonly string[]>> = {
  WAKE: ['07:00'],
  MORN: ['08:00'],
  'MORN.early': ['06:00'],
  'MORN.late': ['10:00'],
  NOON: ['12:00'],
  AFT: ['14:00'],
  'AFT.early': ['13:00'],
  'AFT.late': ['16:00'],
  EVE: ['18:00'],
  'EVE.early': ['17:00'],
  'EVE.late': ['20:00'],
  NIGHT: ['22:00'],
  HS: ['22:00'],
  PHS: ['23:00'],
  ACM: ['07:30'],
  ACD: ['11:30'],
  ACV: ['17:30'],
  AC: ['07:30', '11:30', '17:30'],
  CM: ['08:00'],
  CD: ['12:00'],
  CV: ['18:00'],
  C: ['08:00', '12:00', '18:00'],
  PCM: ['08:30'],
  PCD: ['12:30'],
  PCV: ['18:30'],
  PC: ['08:30', '12:30', '18:30'],
};

/** The ward's rounds for an order given n times a day with no clock times (once to four times daily). */
export const DAILY_ROUND_TIMES: Readonly<Record<number, readonly string[]>> = {
  1: ['08:00'],
  2: ['08:00', '20:00'],
  3: ['08:00', '14:00', '20:00'],
  4: ['08:00', '12:00', '16:00', '20:00'],
};

/** An order "every N hours" with no clock times starts its day's doses at this hour. */
export const INTERVAL_FIRST_HOUR = 6;
