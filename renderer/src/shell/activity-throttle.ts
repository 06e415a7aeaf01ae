// Decides when a key press or pointer press is reported to the host as activity (session:activity
// moves the idle lock later): at most once per interval, so typing does not flood the host. The
// interval is 30 s, or a quarter of the session's idle timeout when that is shorter, so someone
// who keeps working is never locked for want of a report.
import type { SessionViewData } from '../../../shared/contract/index.js';

export const ACTIVITY_INTERVAL_MS = 30_000;
/** However short the idle timeout, no more than one report a second. */
export const MIN_ACTIVITY_INTERVAL_MS = 1_000;

/** The reporting interval for a session: min(30 s, idle timeout / 4), the idle timeout read from the session's deadline. */
export function activityInterval(session: Pick<SessionViewData, 'idleDeadline' | 'lastActivityAt'>): number {
  if (session.idleDeadline === null) return ACTIVITY_INTERVAL_MS;
  const idleTimeoutMs = session.idleDeadline - session.lastActivityAt;
  if (!(idleTimeoutMs > 0)) return ACTIVITY_INTERVAL_MS;
  return Math.max(MIN_ACTIVITY_INTERVAL_MS, Math.min(ACTIVITY_INTERVAL_MS, Math.floor(idleTimeoutMs / 4)));
}

/** Returns a function that answers, for each activity at `nowMs`, whether to report it. */
export function activityThrottle(intervalMs: number = ACTIVITY_INTERVAL_MS): (nowMs: number) => boolean {
  let lastSent: number | null = null;
  return (nowMs) => {
    if (lastSent !== null && nowMs - lastSent < intervalMs && nowMs >= lastSent) return false;
    lastSent = nowMs;
    return true;
  };
}
