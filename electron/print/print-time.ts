// How times appear on a print: the app's one clinical format (shared/display's formatDateTime,
// "06 Jan 2025, 08:05") in the workstation's zone, the mark every page carries, and the file name (a
// UTC timestamp, never a patient's name).
import { formatDateTime } from '../../shared/display/index.js';

/** An ISO time in the clinical format in `timeZone` (the host's zone when absent), or `fallback` when absent or unreadable. */
export function printedTime(iso: string | null, timeZone: string | undefined, fallback = ''): string {
  if (iso === null || Number.isNaN(Date.parse(iso))) return fallback;
  return formatDateTime(iso, timeZone);
}

/** "Printed by <user> at <time> — data as of <time>" ("data as of: not synced" before the first sync). */
export function printMark(printedBy: string, printedAt: number, dataAsOf: string | null, timeZone?: string): string {
  const asOf = printedTime(dataAsOf, timeZone);
  return `Printed by ${printedBy} at ${formatDateTime(printedAt, timeZone)} — ${asOf === '' ? 'data as of: not synced' : `data as of ${asOf}`}`;
}

/** wardline-mar-20261124T104215Z.pdf: the print time in UTC. */
export function marFileName(printedAt: number): string {
  const stamp = new Date(printedAt)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `wardline-mar-${stamp}.pdf`;
}
