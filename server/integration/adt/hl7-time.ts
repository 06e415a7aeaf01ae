// HL7 v2 date and time values (DTM: YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]) as instants. A value
// without an offset is read as UTC (docs/INTEGRATION.md: configure the sender to send offsets or UTC).
import { AdtError } from './adt-error.js';

const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

/** Milliseconds since the epoch, or throws BAD_VALUE naming `field`. */
export function hl7InstantMs(text: string, field: string): number {
  const match = DTM.exec(text);
  if (!match) throw new AdtError('BAD_VALUE', `${field} is not an HL7 date and time (YYYYMMDDHHMMSS).`, field);
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const month = Number(mo ?? '01') - 1;
  const day = Number(d ?? '01');
  const hours = Number(h ?? '00');
  const minutes = Number(mi ?? '00');
  const seconds = Number(s ?? '00');
  if (month > 11 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 59) {
    throw new AdtError('BAD_VALUE', `${field} is not a valid date and time.`, field);
  }
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  let offsetMinutes = 0;
  if (zone) offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  return Date.UTC(Number(y), month, day, hours, minutes, seconds, ms) - offsetMinutes * 60_000;
}

/** An HL7 date (YYYYMMDD…) as a FHIR date (YYYY-MM-DD), or throws BAD_VALUE naming `field`. */
export function hl7Date(text: string, field: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})/.exec(text);
  const date = match ? `${match[1]}-${match[2]}-${match[3]}` : '';
  if (!match || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
    throw new AdtError('BAD_VALUE', `${field} is not an HL7 date (YYYYMMDD).`, field);
  return date;
}
