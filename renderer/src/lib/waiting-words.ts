// What waits for the hub, in words: the banner's (the ward's) and the chart's (its patient's) counts
// say the same thing the same way ("3 entries waiting to upload", "1 conflict to resolve").
import { counted } from '../../../shared/display/index.js';

/** "3 entries waiting to upload", or null when nothing waits. */
export function waitingWords(entries: number): string | null {
  return entries > 0 ? `${counted(entries, 'entry', 'entries')} waiting to upload` : null;
}

/** "2 conflicts to resolve", or null. */
export function conflictWords(conflicts: number): string | null {
  return conflicts > 0 ? `${counted(conflicts, 'conflict', 'conflicts')} to resolve` : null;
}

/** The chart's line: "1 entry waiting to upload and 1 conflict to resolve for this patient", or null when nothing waits. */
export function patientWaitingWords(entries: number, conflicts: number): string | null {
  const parts = [waitingWords(entries), conflictWords(conflicts)].filter((part) => part !== null);
  return parts.length === 0 ? null : `${parts.join(' and ')} for this patient`;
}
