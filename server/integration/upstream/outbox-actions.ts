// IT's hand on documentation sent back (`wardline-hub upstream retry|close`), by the entry number
// `upstream status` shows (the outbox row's seq):
// - retry puts a refused entry back in the queue (due at the next cycle; after IT fixed the cause at
//   the EHR), with the refused entries that were refused because of it (later versions of the same
//   documentation, the Provenances about it); a held or waiting entry is made due now.
// - close settles an entry for good without sending it (IT recorded it in the EHR by hand): the row
//   stays, state `closed`, with who, when and why, and is listed by `upstream status --closed`.
// A delivered entry, one the ward's users settled, a closed one and a conflict (the users' to settle,
// on the workstations' conflicts screen) are refused with the reason. Runs in the caller's
// transaction, so the change and its record in the hub's trail are one.
import { versionContentSql } from '../../fhir/index.js';
import type { Provenance } from '../../../shared/fhir/index.js';
import type { SqlDatabase } from '../../storage/index.js';
import { UpstreamError } from './upstream-error.js';

/** The longest reason IT may give for a close (it is shown by `upstream status --closed`). */
export const CLOSE_REASON_MAX = 500;

export interface OutboxEntryAction {
  readonly seq: number;
  readonly type: string;
  readonly id: string;
  readonly version: number;
  /** The state the entry had before the action. */
  readonly before: 'pending' | 'held' | 'refused';
  /** The patient the documentation is about (for the hub's trail), when the hub holds it. */
  readonly patientId: string | null;
  /** Refused entries acted on with it because they were refused through it (close: its Provenances only). */
  readonly dependents: number;
}

interface EntryRow {
  seq: number;
  res_type: string;
  res_id: string;
  version: number;
  state: string;
  upstream_ref: string | null;
  closed_by: string | null;
  closed_at: string | null;
  close_reason: string | null;
}

async function openEntry(tx: SqlDatabase, seq: number): Promise<EntryRow & { state: OutboxEntryAction['before'] }> {
  const [row] = await tx.query<EntryRow>(
    `SELECT seq, res_type, res_id, version, state, upstream_ref, closed_by, closed_at, close_reason FROM upstream_outbox WHERE seq = $1`,
    [seq],
  );
  if (row === undefined) {
    throw new UpstreamError(
      'ENTRY_UNKNOWN',
      `No documentation sent back has entry ${seq}; \`wardline-hub upstream status\` lists the entries (entry N: …).`,
    );
  }
  switch (row.state) {
    case 'pending':
    case 'held':
    case 'refused':
      return row as EntryRow & { state: OutboxEntryAction['before'] };
    case 'sent':
      throw new UpstreamError(
        'ENTRY_DELIVERED',
        `Entry ${seq} was delivered: the EHR acknowledged it as ${row.upstream_ref ?? 'its copy'}. Nothing was changed.`,
      );
    case 'received':
      throw new UpstreamError(
        'ENTRY_DELIVERED',
        `Entry ${seq} is a change the EHR made to its own copy (${row.upstream_ref ?? 'its copy'}), taken in by the hub: there is nothing to send. Nothing was changed.`,
      );
    case 'settled':
    case 'withheld':
      throw new UpstreamError(
        'ENTRY_SETTLED',
        `Entry ${seq} was a conflict the ward's users settled (${row.state === 'settled' ? 'sent after all' : 'kept from the EHR'}). Nothing was changed.`,
      );
    case 'closed':
      throw new UpstreamError(
        'ENTRY_CLOSED',
        `Entry ${seq} was closed ${row.closed_by === null ? 'with the documentation it is about' : `by ${row.closed_by}`} at ${row.closed_at ?? '?'}: closing is final. Nothing was changed.`,
      );
    case 'conflict':
      throw new UpstreamError(
        'ENTRY_CONFLICT',
        `Entry ${seq} is a conflict with the EHR: the ward's users settle it on the workstations' conflicts screen (send to the EHR anyway, or keep it out), which records who decided. Nothing was changed.`,
      );
    default:
      throw new UpstreamError('ENTRY_UNKNOWN', `Entry ${seq} is in a state this hub does not know (${row.state}). Nothing was changed.`);
  }
}

async function patientOf(tx: SqlDatabase, row: EntryRow): Promise<string | null> {
  const [version] = await tx.query<{ patient_id: string | null }>(
    'SELECT patient_id FROM fhir_versions WHERE res_type = $1 AND res_id = $2 AND version = $3',
    [row.res_type, row.res_id, row.version],
  );
  return version?.patient_id ?? null;
}

/** Refused entries after `row` refused through it: later versions of the same resource, Provenances about it (or those only). */
async function refusedThrough(tx: SqlDatabase, row: EntryRow, only?: 'Provenance'): Promise<number[]> {
  const later = await tx.query<{ seq: number; res_type: string; res_id: string; content: string | null }>(
    `SELECT o.seq, o.res_type, o.res_id, ${versionContentSql('v')} AS content FROM upstream_outbox o
       LEFT JOIN fhir_versions v ON o.res_type = 'Provenance' AND v.res_type = o.res_type AND v.res_id = o.res_id AND v.version = o.version
     WHERE o.state = 'refused' AND o.seq > $1 AND ((o.res_type = $2 AND o.res_id = $3) OR o.res_type = 'Provenance') ORDER BY o.seq`,
    [row.seq, row.res_type, row.res_id],
  );
  const reference = `${row.res_type}/${row.res_id}`;
  return later
    .filter((entry) => {
      if (entry.res_type === row.res_type && entry.res_id === row.res_id) return only === undefined;
      if (entry.content === null) return false;
      return ((JSON.parse(entry.content) as Provenance).target ?? []).some((target) => target.reference === reference);
    })
    .map((entry) => Number(entry.seq));
}

function actionOf(row: EntryRow & { state: OutboxEntryAction['before'] }, patientId: string | null, dependents: number): OutboxEntryAction {
  return {
    seq: Number(row.seq),
    type: row.res_type,
    id: row.res_id,
    version: Number(row.version),
    before: row.state,
    patientId,
    dependents,
  };
}

/**
 * Puts an entry back to be sent at the next cycle: a refused one (and the refused entries refused
 * through it) becomes pending; a held or waiting one is made due now. Throws UpstreamError (ENTRY_…)
 * for an entry that cannot be retried, changing nothing.
 */
export async function retryOutboxEntry(tx: SqlDatabase, seq: number): Promise<OutboxEntryAction> {
  const row = await openEntry(tx, seq);
  let dependents: number[] = [];
  if (row.state === 'refused') {
    dependents = await refusedThrough(tx, row);
    for (const entry of [Number(row.seq), ...dependents]) {
      await tx.execute(
        `UPDATE upstream_outbox SET state = 'pending', next_attempt_ms = 0, settled_at = NULL,
           reason = SUBSTR('put back by IT (upstream retry); refused before: ' || COALESCE(reason, ''), 1, 500) WHERE seq = $1 AND state = 'refused'`,
        [entry],
      );
    }
  } else {
    await tx.execute('UPDATE upstream_outbox SET next_attempt_ms = 0 WHERE seq = $1', [seq]);
  }
  return actionOf(row, await patientOf(tx, row), dependents.length);
}

/** Who closes an entry: the operating-system account that ran the command, when, and why. */
export interface OutboxCloser {
  readonly by: string;
  readonly at: Date;
  readonly reason: string;
}

/**
 * Settles an entry for good without sending it (IT recorded it in the EHR by hand): state `closed`,
 * with who, when and why; its earlier reason is kept. The Provenances about it that were refused
 * through it are closed with it (the record of who wrote it is not sent either; one still waiting is
 * closed by the sender when it comes to it); later versions are not (a correction is documentation of
 * its own: it is refused for IT, to record by hand too). Throws UpstreamError (ENTRY_…) for an entry
 * that cannot be closed, changing nothing.
 */
export async function closeOutboxEntry(tx: SqlDatabase, seq: number, closer: OutboxCloser): Promise<OutboxEntryAction> {
  const row = await openEntry(tx, seq);
  const close = (entry: number, reason: string) =>
    tx.execute(
      `UPDATE upstream_outbox SET state = 'closed', closed_by = $2, closed_at = $3, close_reason = $4, settled_at = $3 WHERE seq = $1`,
      [entry, closer.by.slice(0, 128), closer.at.toISOString(), reason.slice(0, CLOSE_REASON_MAX)],
    );
  await close(seq, closer.reason);
  const provenances = row.res_type === 'Provenance' ? [] : await refusedThrough(tx, row, 'Provenance');
  for (const entry of provenances) await close(entry, `closed with entry ${seq}, its target: ${closer.reason}`);
  return actionOf(row, await patientOf(tx, row), provenances.length);
}
