// Right time: a scheduled dose is on time within the policy's window around its scheduled time
// (default ±60 minutes). Given before the window it is early, after it late; a dose not given
// (held or refused) outside the window is marked omitted. Early and late need a coded reason; an
// omitted dose has its not-given reason. A dose with no scheduled time (as needed) has no window.

export const DEFAULT_ADMINISTRATION_WINDOW_MINUTES = 60;

export type TimingMark = 'on-time' | 'early' | 'late' | 'omitted' | 'unscheduled';

export const TIMING_MARK_LABELS: Readonly<Record<TimingMark, string>> = {
  'on-time': 'On time',
  early: 'Early',
  late: 'Late',
  omitted: 'Omitted',
  unscheduled: 'As needed',
};

export function timingOf(dose: { scheduledAt: string | null; effectiveAt: string; given: boolean }, windowMs: number): TimingMark {
  if (dose.scheduledAt === null) return 'unscheduled';
  const offset = Date.parse(dose.effectiveAt) - Date.parse(dose.scheduledAt);
  if (Math.abs(offset) <= windowMs) return 'on-time';
  if (!dose.given) return 'omitted';
  return offset < 0 ? 'early' : 'late';
}

/** True when the mark needs a timing reason (a dose given early or late). */
export function needsTimingReason(mark: TimingMark): boolean {
  return mark === 'early' || mark === 'late';
}
