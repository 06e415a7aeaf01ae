// Checks an audit chain as stored, entry by entry in sequence order, and names the first sequence
// that is not what the chain committed to:
//   missing     an entry is absent (a gap, entries renumbered down over a deleted one, or the log
//               ends below what the hub already acknowledged: truncated)
//   out-of-place an entry sits at another sequence than its own body says (reordered)
//   inserted    entries were slipped in and the originals pushed up: the first slipped-in one
//   altered     an entry's body, hash or search row no longer match, or its hash is not the
//               one its successor committed to (edited, then re-hashed)
// An attacker who holds the key and re-hashes every entry after the one they changed produces a
// chain that verifies here; the hub's copy and the device-signed checkpoints catch that (AUDIT.md).
import { canonicalJson } from '../../shared/json/index.js';
import { entryHash, GENESIS_PREVIOUS_HASH, type AuditEntryBody } from './audit-entry.js';
import type { ChainAnchor } from './audit-prune.js';
import { searchUsernameTried } from './search-username.js';
import type { CheckedEntryRow } from './stored-entry.js';

export type ChainProblem = 'missing' | 'out-of-place' | 'inserted' | 'altered';

export type ChainVerdict =
  | { readonly ok: true; readonly entries: number; readonly head: { readonly sequence: number; readonly hash: string } }
  | {
      readonly ok: false;
      readonly entries: number;
      readonly firstBadSequence: number;
      readonly problem: ChainProblem;
      readonly explanation: string;
    };

function parsed(row: CheckedEntryRow): AuditEntryBody | null {
  try {
    const body = JSON.parse(row.body) as AuditEntryBody;
    return canonicalJson(body) === row.body ? body : null;
  } catch {
    return null;
  }
}

/** The entry's search row (when it has one) must say what its body says. */
function searchAgrees(row: CheckedEntryRow, body: AuditEntryBody): boolean {
  if (row.recorded_ms === null) return true;
  return (
    row.recorded_ms === Date.parse(body.time) &&
    row.user_id === body.user &&
    row.patient_id === body.patient &&
    row.action === body.action &&
    row.username_tried === searchUsernameTried(body)
  );
}

/**
 * `rows` in ascending sequence order. `acknowledgedByHub`: the highest contiguous sequence the hub
 * said it holds (the log may not end below it). `anchor`: the last entry pruned after the hub
 * acknowledged it (the chain then starts after it, linked to its hash).
 */
export function verifyChain(
  rows: Iterable<CheckedEntryRow>,
  acknowledgedByHub: number | null = null,
  anchor: ChainAnchor | null = null,
): ChainVerdict {
  const iterator = rows[Symbol.iterator]();
  try {
    return walk(iterator, acknowledgedByHub, anchor);
  } finally {
    // Stops a database cursor that an early verdict left open.
    iterator.return?.();
  }
}

function walk(iterator: Iterator<CheckedEntryRow>, acknowledgedByHub: number | null, anchor: ChainAnchor | null): ChainVerdict {
  let expected = (anchor?.sequence ?? 0) + 1;
  let previousHash = anchor?.hash ?? GENESIS_PREVIOUS_HASH;
  let checked = 0;
  const bad = (firstBadSequence: number, problem: ChainProblem, explanation: string): ChainVerdict => ({
    ok: false,
    entries: checked,
    firstBadSequence,
    problem,
    explanation,
  });

  let next = iterator.next();
  while (!next.done) {
    const row = next.value;
    next = iterator.next();
    const n = expected;
    if (row.sequence !== n) return bad(n, 'missing', `entry ${n} is missing (the next entry held is ${row.sequence})`);
    const body = parsed(row);
    if (body === null) return bad(n, 'altered', `entry ${n} is not the canonical JSON it was written as`);
    if (!Number.isSafeInteger(body.sequence) || body.sequence < 1) return bad(n, 'altered', `the entry held at ${n} has no valid sequence`);
    if (body.sequence !== n) {
      if (body.sequence > n) {
        const following = next.done ? null : parsed(next.value);
        return following?.sequence === n
          ? bad(n, 'out-of-place', `entries ${n} and ${body.sequence} changed places`)
          : bad(n, 'missing', `entry ${n} is missing: the entry held there is entry ${body.sequence}, renumbered`);
      }
      return bad(body.sequence, 'inserted', `entries were inserted from ${body.sequence} on: entry ${body.sequence} is held at ${n}`);
    }
    if (entryHash(row.previous_hash, row.body) !== row.hash) return bad(n, 'altered', `entry ${n} does not match its hash`);
    if (row.previous_hash !== previousHash) {
      return n === 1
        ? bad(1, 'altered', 'entry 1 does not start the chain')
        : bad(n - 1, 'altered', `entry ${n - 1} is not the entry that entry ${n} was chained to`);
    }
    if (!searchAgrees(row, body)) return bad(n, 'altered', `entry ${n}'s search row disagrees with its content`);
    previousHash = row.hash;
    expected += 1;
    checked += 1;
  }
  const last = expected - 1;
  if (acknowledgedByHub !== null && last < acknowledgedByHub) {
    return bad(
      last + 1,
      'missing',
      `the log ends at ${last}, but the hub already acknowledged up to ${acknowledgedByHub}: entries were removed`,
    );
  }
  return { ok: true, entries: checked, head: { sequence: last, hash: previousHash } };
}
