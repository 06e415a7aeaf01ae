// Decides when a key press or pointer press is reported to the host as activity (session:activity
// moves the idle lock later): at most once per interval, so typing does not flood the host.

export const ACTIVITY_INTERVAL_MS = 30_000;

/** Returns a function that answers, for each activity at `nowMs`, whether to report it. */
export function activityThrottle(intervalMs: number = ACTIVITY_INTERVAL_MS): (nowMs: number) => boolean {
  let lastSent: number | null = null;
  return (nowMs) => {
    if (lastSent !== null && nowMs - lastSent < intervalMs && nowMs >= lastSent) return false;
    lastSent = nowMs;
    return true;
  };
}
