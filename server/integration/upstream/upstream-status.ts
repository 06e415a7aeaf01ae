// What `wardline-hub upstream status` shows, kept in the database by each activity (the mirror of
// each ward, the outbox): when it last tried, last succeeded, its last error (a code and a sentence,
// never patient data), failures in a row and resources written.
import type { SqlDatabase } from '../../storage/index.js';
import { readLease, type LeaseStatus } from './mirror-lease.js';

export const OUTBOX_ACTIVITY = 'outbox';

export function wardActivity(ward: string): string {
  return `mirror:${ward}`;
}

async function ensureRow(db: SqlDatabase, activity: string): Promise<void> {
  await db.execute(
    db.dialect === 'postgres'
      ? 'INSERT INTO upstream_status (activity) VALUES ($1) ON CONFLICT (activity) DO NOTHING'
      : 'INSERT OR IGNORE INTO upstream_status (activity) VALUES ($1)',
    [activity],
  );
}

export async function recordSuccess(db: SqlDatabase, activity: string, at: Date, written: number): Promise<void> {
  await ensureRow(db, activity);
  await db.execute(
    `UPDATE upstream_status SET last_attempt_at = $2, last_success_at = $2, failures = 0,
       resources_written = resources_written + $3 WHERE activity = $1`,
    [activity, at.toISOString(), written],
  );
}

export async function recordFailure(db: SqlDatabase, activity: string, at: Date, error: string, written = 0): Promise<void> {
  await ensureRow(db, activity);
  await db.execute(
    `UPDATE upstream_status SET last_attempt_at = $2, last_error_at = $2, last_error = $3, failures = failures + 1,
       resources_written = resources_written + $4 WHERE activity = $1`,
    [activity, at.toISOString(), error.slice(0, 500), written],
  );
}

export interface ActivityStatus {
  readonly activity: string;
  readonly lastAttemptAt: string | null;
  readonly lastSuccessAt: string | null;
  readonly lastErrorAt: string | null;
  readonly lastError: string | null;
  /** Failures since the last success. */
  readonly failures: number;
  readonly resourcesWritten: number;
  /** Milliseconds since the last success (how far behind the hub may be); null before the first. */
  readonly lagMs: number | null;
}

export interface OutboxEntryStatus {
  readonly seq: number;
  readonly type: string;
  readonly id: string;
  readonly version: number;
  /**
   * `settled`: a conflict a user decided and whose later version was sent; `withheld`: a user kept it
   * from the EHR; `held`: it names a patient or stay the EHR does not know yet (sent once the mirror matches them);
   * `closed`: IT settled it without sending (`wardline-hub upstream close`).
   */
  readonly state: 'pending' | 'held' | 'sent' | 'refused' | 'conflict' | 'settled' | 'withheld' | 'closed';
  readonly attempts: number;
  readonly reason: string | null;
  readonly upstreamRef: string | null;
}

/** An entry IT closed (or closed with the documentation it is about): who, when, why. */
export interface ClosedEntryStatus extends OutboxEntryStatus {
  /** The operating-system account that ran `upstream close`; null when it was closed with its target. */
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  readonly closeReason: string | null;
}

export interface UpstreamStatus {
  /** The hub process running the mirror now (null when none holds the lease). */
  readonly leader: LeaseStatus | null;
  readonly activities: readonly ActivityStatus[];
  readonly outbox: {
    readonly pending: number;
    /** Held until the mirror matches the patient or stay they name with the EHR's. */
    readonly held: number;
    readonly sent: number;
    readonly refused: number;
    readonly conflict: number;
    /** Conflicts users settled: sent after all (`settled`), or kept from the EHR (`withheld`). */
    readonly settled: number;
    readonly withheld: number;
    /** Closed by IT without sending (recorded in the EHR by hand). */
    readonly closed: number;
  };
  /**
   * Refused and conflicting entries and pending ones that have failed at least once, oldest first,
   * then held ones (which wait for the mirror, not for IT): at most ATTENTION_LIMIT in all.
   */
  readonly attention: readonly OutboxEntryStatus[];
  /** With `closed`: the closed entries, newest first, at most ATTENTION_LIMIT. */
  readonly closed?: readonly ClosedEntryStatus[];
}

/** The most outbox entries `upstream status` lists (the counts cover them all). */
export const ATTENTION_LIMIT = 200;

type EntryRow = {
  seq: number;
  res_type: string;
  res_id: string;
  version: number;
  state: OutboxEntryStatus['state'];
  attempts: number;
  reason: string | null;
  upstream_ref: string | null;
};

function entryOf(row: EntryRow): OutboxEntryStatus {
  return {
    seq: Number(row.seq),
    type: row.res_type,
    id: row.res_id,
    version: Number(row.version),
    state: row.state,
    attempts: Number(row.attempts),
    reason: row.reason,
    upstreamRef: row.upstream_ref,
  };
}

export async function readUpstreamStatus(db: SqlDatabase, now: Date, options: { closed?: boolean } = {}): Promise<UpstreamStatus> {
  const rows = await db.query<{
    activity: string;
    last_attempt_at: string | null;
    last_success_at: string | null;
    last_error_at: string | null;
    last_error: string | null;
    failures: number;
    resources_written: number;
  }>('SELECT * FROM upstream_status ORDER BY activity');
  const counts = await db.query<{ state: string; n: number }>('SELECT state, COUNT(*) AS n FROM upstream_outbox GROUP BY state');
  const count = (state: string): number => Number(counts.find((c) => c.state === state)?.n ?? 0);
  // Conflicts users settled, counted by the documentation (the Provenances about it follow it).
  const decided = await db.query<{ state: string; n: number }>(
    `SELECT state, COUNT(*) AS n FROM upstream_outbox WHERE state IN ('settled', 'withheld') AND res_type <> 'Provenance' GROUP BY state`,
  );
  const decidedCount = (state: string): number => Number(decided.find((c) => c.state === state)?.n ?? 0);
  const attention = await db.query<EntryRow>(
    `SELECT seq, res_type, res_id, version, state, attempts, reason, upstream_ref FROM upstream_outbox
     WHERE state IN ('refused', 'conflict', 'held') OR (state = 'pending' AND attempts > 0)
     ORDER BY CASE WHEN state = 'held' THEN 1 ELSE 0 END, seq LIMIT ${ATTENTION_LIMIT}`,
  );
  const closed = options.closed
    ? await db.query<EntryRow & { closed_by: string | null; closed_at: string | null; close_reason: string | null }>(
        `SELECT seq, res_type, res_id, version, state, attempts, reason, upstream_ref, closed_by, closed_at, close_reason
         FROM upstream_outbox WHERE state = 'closed' ORDER BY seq DESC LIMIT ${ATTENTION_LIMIT}`,
      )
    : undefined;
  return {
    leader: await readLease(db, now),
    activities: rows.map((row) => ({
      activity: row.activity,
      lastAttemptAt: row.last_attempt_at,
      lastSuccessAt: row.last_success_at,
      lastErrorAt: row.last_error_at,
      lastError: row.last_error,
      failures: Number(row.failures),
      resourcesWritten: Number(row.resources_written),
      lagMs: row.last_success_at === null ? null : Math.max(0, now.getTime() - Date.parse(row.last_success_at)),
    })),
    outbox: {
      pending: count('pending'),
      held: count('held'),
      sent: count('sent'),
      refused: count('refused'),
      conflict: count('conflict'),
      settled: decidedCount('settled'),
      withheld: decidedCount('withheld'),
      closed: count('closed'),
    },
    attention: attention.map(entryOf),
    ...(closed === undefined
      ? {}
      : {
          closed: closed.map((row) => ({
            ...entryOf(row),
            closedBy: row.closed_by,
            closedAt: row.closed_at,
            closeReason: row.close_reason,
          })),
        }),
  };
}

function duration(ms: number | null): string {
  if (ms === null) return 'never';
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** The status as lines for IT. */
export function formatUpstreamStatus(status: UpstreamStatus): string[] {
  const lines: string[] = [];
  if (status.activities.length === 0) lines.push('The upstream mirror has not run yet (serve --upstream ... turns it on).');
  lines.push(
    status.leader === null
      ? 'leader: none (no hub process runs the mirror now)'
      : `leader: ${status.leader.holder} (lease until ${status.leader.expiresAt})`,
  );
  for (const a of status.activities) {
    lines.push(
      `${a.activity}: last success ${a.lastSuccessAt ?? 'never'} (lag ${duration(a.lagMs)}), ${a.resourcesWritten} resources written` +
        (a.failures > 0 ? `, ${a.failures} failure(s) in a row` : ''),
    );
    if (a.lastError) lines.push(`  last error ${a.lastErrorAt ?? ''}: ${a.lastError}`);
  }
  lines.push(
    `documentation sent back: ${status.outbox.sent} acknowledged, ${status.outbox.pending} waiting, ${status.outbox.refused} refused` +
      (status.outbox.held > 0 ? `, ${status.outbox.held} held until the mirror matches their patient or stay with the EHR's` : '') +
      (status.outbox.conflict > 0 ? `, ${status.outbox.conflict} held as conflicts with the EHR` : '') +
      (status.outbox.settled + status.outbox.withheld > 0
        ? `, ${status.outbox.settled + status.outbox.withheld} conflict(s) settled by users (${status.outbox.withheld} kept from the EHR)`
        : '') +
      (status.outbox.closed > 0 ? `, ${status.outbox.closed} closed by IT without sending (upstream status --closed lists them)` : ''),
  );
  for (const e of status.attention) {
    lines.push(
      `  entry ${e.seq}: ${e.state === 'refused' ? 'REFUSED' : e.state === 'conflict' ? 'CONFLICT' : e.state === 'held' ? 'HELD' : 'retrying'} ${e.type}/${e.id} (version ${e.version}, ${e.attempts} attempt(s)): ${e.reason ?? ''}`,
    );
  }
  const heldListed = status.attention.filter((e) => e.state === 'held').length;
  if (heldListed < status.outbox.held) {
    lines.push(`  … and ${status.outbox.held - heldListed} more held (${status.outbox.held} held in all; the oldest are listed)`);
  }
  if (status.attention.some((e) => e.state !== 'conflict')) {
    lines.push(
      '  (IT: `wardline-hub upstream retry N` sends entry N again at the next cycle; `upstream close N --reason TEXT` settles it without sending)',
    );
  }
  if (status.closed !== undefined) {
    lines.push(`closed by IT: ${status.outbox.closed}${status.closed.length < status.outbox.closed ? ' (the newest are listed)' : ''}`);
    for (const e of status.closed) {
      lines.push(
        `  entry ${e.seq}: CLOSED ${e.type}/${e.id} (version ${e.version}) ${e.closedBy === null ? 'by the hub' : `by ${e.closedBy}`} at ${e.closedAt ?? '?'}: ${e.closeReason ?? ''}` +
          (e.reason ? ` (before: ${e.reason})` : ''),
      );
    }
  }
  return lines;
}
