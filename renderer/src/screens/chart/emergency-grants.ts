// The emergency-access (break-the-glass) grants made in this window, so the chart can say "opened
// with emergency access until hh:mm". Patient ids and times only, in memory: a reload (every lock)
// forgets them; the host holds the real grant and enforces it.

const grants = new Map<string, number>();

export function rememberGrant(patientId: string, expiresAt: string): void {
  const until = Date.parse(expiresAt);
  if (!Number.isNaN(until)) grants.set(patientId, until);
}

/** The grant's end (ISO) while it lasts, else null. */
export function grantFor(patientId: string, now: number = Date.now()): string | null {
  const until = grants.get(patientId);
  if (until === undefined) return null;
  if (until <= now) {
    grants.delete(patientId);
    return null;
  }
  return new Date(until).toISOString();
}
