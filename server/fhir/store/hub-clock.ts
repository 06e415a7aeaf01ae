// The hub's clock for versions. Stamps are microseconds since the epoch; every write transaction
// takes the next stamp (at least 1 ms after the previous one, whatever the wall clock says) under a
// lock on the one `fhir_clock` row, so stamps grow in commit order across hub processes. A read
// reports the watermark: the stamp of the newest write it could see plus 1 µs. Any write it could
// not see commits later with a larger stamp, so `_since=<watermark>` (or `_lastUpdated=gt…`) never
// misses one.
import type { SqlDatabase } from '../../storage/index.js';

export interface WriteSession {
  /** The stamp every version written in this transaction carries. */
  readonly stamp: number;
  /** The next global version sequence number. */
  nextSeq(): number;
  /** The last sequence handed out (written back to the clock row at the end). */
  lastSeq(): number;
}

export interface Watermark {
  /** The newest stamp visible (0 before the first write). */
  readonly stamp: number;
  /** The newest version sequence visible. */
  readonly seq: number;
}

const STEP = 1000;

/** Locks the clock row and takes this transaction's stamp. Call first in a write transaction. */
export async function beginWrite(tx: SqlDatabase, now: Date): Promise<WriteSession> {
  // PostgreSQL: LOCK TABLE takes no snapshot, so a writer that waited here reads the clock its
  // predecessor committed (no serialization failure between writers). SQLite: BEGIN IMMEDIATE
  // already holds the database's write lock.
  if (tx.dialect === 'postgres') await tx.execute('LOCK TABLE fhir_clock IN EXCLUSIVE MODE');
  const rows = await tx.query<{ last_stamp: number; last_seq: number }>('SELECT last_stamp, last_seq FROM fhir_clock WHERE id = 1');
  const row = rows[0];
  if (!row) throw new Error('The hub clock row is missing; the database was not migrated.');
  const wall = Math.floor(now.getTime()) * STEP;
  const stamp = Math.max(wall, Number(row.last_stamp) + STEP);
  let seq = Number(row.last_seq);
  await tx.execute('UPDATE fhir_clock SET last_stamp = $1 WHERE id = 1', [stamp]);
  return {
    stamp,
    nextSeq: () => ++seq,
    lastSeq: () => seq,
  };
}

/** Records the sequence numbers used; call last in the write transaction. */
export async function endWrite(tx: SqlDatabase, session: WriteSession): Promise<void> {
  await tx.execute('UPDATE fhir_clock SET last_seq = $1 WHERE id = 1', [session.lastSeq()]);
}

/** Read BEFORE the data a response returns: everything at or below it is then visible too. */
export async function readWatermark(db: SqlDatabase): Promise<Watermark> {
  const rows = await db.query<{ last_stamp: number; last_seq: number }>('SELECT last_stamp, last_seq FROM fhir_clock WHERE id = 1');
  const row = rows[0];
  return { stamp: Number(row?.last_stamp ?? 0), seq: Number(row?.last_seq ?? 0) };
}

/** The instant a response reports as Bundle.meta.lastUpdated (the next `_since`). */
export function watermarkInstant(watermark: Watermark): string {
  return stampToInstant(watermark.stamp + 1);
}

/** A stamp as a FHIR instant: milliseconds always, more digits only when the stamp has them. */
export function stampToInstant(stamp: number): string {
  const ms = Math.floor(stamp / STEP);
  const micros = stamp - ms * STEP;
  const iso = new Date(ms).toISOString();
  return micros === 0 ? iso : `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

export interface InstantRange {
  /** First microsecond the value covers. */
  readonly start: number;
  /** First microsecond after it. */
  readonly end: number;
}

const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The span of time a FHIR date/dateTime/instant covers at its precision, e.g. `2024-03` → all of
 * March (UTC), `…T10:00:00.123Z` → that millisecond. Null when the text is not such a value.
 */
export function parseInstantRange(text: string): InstantRange | null {
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? 0 : Number(mo) - 1;
  const day = d === undefined ? 1 : Number(d);
  if (month > 11 || day < 1 || day > 31) return null;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 60))) return null;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    offsetMinutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  }
  const baseMs = Date.UTC(year, month, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)) - offsetMinutes * 60_000;
  if (!Number.isFinite(baseMs)) return null;
  const fracDigits = (frac ?? '').slice(0, 6);
  const start = baseMs * STEP + (fracDigits ? Number(fracDigits.padEnd(6, '0')) : 0);
  let end: number;
  if (mo === undefined) end = Date.UTC(year + 1, 0, 1) * STEP;
  else if (d === undefined) end = Date.UTC(year, month + 1, 1) * STEP;
  else if (h === undefined) end = Date.UTC(year, month, day + 1) * STEP;
  else if (s === undefined) end = start + 60_000_000;
  else if (!fracDigits) end = start + 1_000_000;
  else end = start + 10 ** (6 - fracDigits.length);
  return { start, end };
}
