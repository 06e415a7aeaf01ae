// The ADT feed's own bookkeeping, kept in the transaction that applies a message: its duplicate key
// (sending application, facility, MSH-10, content hash; adt_messages, kept for days) and the time of
// the newest event applied per patient (adt_patient_order, the per-patient order). A message in a
// transaction or savepoint of its own writes them at once (sqlLedger); the messages of a group
// commit keep them in memory, each message's share kept only if the message is, and written
// together just before the group's commit (GroupLedger). On SQLite the writer holds the database
// lock and on PostgreSQL every feed writer first locks the hub clock row (beginWrite), so no other
// writer claims a key between a group's look-up and its insert.
import type { SqlDatabase } from '../../storage/index.js';
import type { AdtMessage } from './adt-message.js';

export interface AdtLedger {
  /** Claims the message's duplicate key; false when the same message was applied before. */
  claim(message: AdtMessage, now: Date): Promise<boolean>;
  /** The time of the newest event applied to the patient (ms), or null. */
  lastEventMs(patientId: string): Promise<number | null>;
  /** Records the patient's newest event. */
  noteEvent(patientId: string, eventMs: number): Promise<void>;
}

const SELECT_ORDER = 'SELECT last_event_ms FROM adt_patient_order WHERE patient_id = $1';
const UPSERT_ORDER_TAIL = ' ON CONFLICT (patient_id) DO UPDATE SET last_event_ms = excluded.last_event_ms';
const KEY_COLUMNS = '(application, facility, control_id, content_hash, event, received_ms)';

function keyRow(message: AdtMessage, now: Date): unknown[] {
  const { application, facility, controlId } = message.header;
  return [application, facility, controlId, message.contentHash, message.event, now.getTime()];
}

function keyText(message: AdtMessage): string {
  const { application, facility, controlId } = message.header;
  return [application, facility, controlId, message.contentHash].join('\u0000');
}

async function storedLastEvent(tx: SqlDatabase, patientId: string): Promise<number | null> {
  const rows = await tx.query<{ last_event_ms: number }>(SELECT_ORDER, [patientId]);
  return rows[0] ? Number(rows[0].last_event_ms) : null;
}

/** The ledger of a message in its own transaction or savepoint: every change is SQL at once. */
export function sqlLedger(tx: SqlDatabase): AdtLedger {
  return {
    async claim(message, now) {
      const result = await tx.execute(
        `INSERT INTO adt_messages ${KEY_COLUMNS} VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (application, facility, control_id, content_hash) DO NOTHING`,
        keyRow(message, now),
      );
      return result.changes > 0;
    },
    lastEventMs: (patientId) => storedLastEvent(tx, patientId),
    async noteEvent(patientId, eventMs) {
      await tx.execute(`INSERT INTO adt_patient_order (patient_id, last_event_ms) VALUES ($1, $2)${UPSERT_ORDER_TAIL}`, [
        patientId,
        eventMs,
      ]);
    },
  };
}

/** `($1, $2), ($3, $4), …` for `rows` rows of `width` values. */
function valuesSql(rows: number, width: number): string {
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(`$${r * width + c}`);
    out.push(`(${cells.join(', ')})`);
  }
  return out.join(', ');
}

const ROWS_PER_STATEMENT = 100;

/** The ledger of a group commit: in memory, written by `write` before the commit. */
export class GroupLedger {
  /** Keys claimed by the group's kept messages, with their rows. */
  private readonly claimed = new Map<string, unknown[]>();
  /** Newest events noted by the group's kept messages. */
  private readonly noted = new Map<string, number>();
  /** adt_patient_order as the database holds it (read once per patient). */
  private readonly stored = new Map<string, number | null>();
  /** Duplicate keys the database holds, among those of the group's messages (see `prefetch`). */
  private readonly known = new Set<string>();
  /** The messages whose keys `prefetch` looked up (their look-up needs no query of its own). */
  private prefetched = new Set<AdtMessage>();

  constructor(private readonly tx: SqlDatabase) {}

  /** Reads which of these messages' duplicate keys the database holds: one query per sender. */
  async prefetch(messages: readonly AdtMessage[]): Promise<void> {
    const bySender = new Map<string, AdtMessage[]>();
    for (const message of messages) {
      const sender = `${message.header.application}\u0000${message.header.facility}`;
      const list = bySender.get(sender);
      if (list) list.push(message);
      else bySender.set(sender, [message]);
    }
    for (const list of bySender.values()) {
      const { application, facility } = list[0]!.header;
      const controlIds = [...new Set(list.map((message) => message.header.controlId))];
      for (let i = 0; i < controlIds.length; i += ROWS_PER_STATEMENT) {
        const chunk = controlIds.slice(i, i + ROWS_PER_STATEMENT);
        const rows = await this.tx.query<{ control_id: string; content_hash: string }>(
          `SELECT control_id, content_hash FROM adt_messages WHERE application = $1 AND facility = $2
           AND control_id IN (${chunk.map((_, n) => `$${n + 3}`).join(', ')})`,
          [application, facility, ...chunk],
        );
        for (const row of rows) this.known.add([application, facility, row.control_id, row.content_hash].join('\u0000'));
      }
    }
    this.prefetched = new Set(messages);
  }

  /** A ledger for one message; `keep` adds its changes to the group's (call only once it succeeded). */
  forMessage(): { ledger: AdtLedger; keep(): void } {
    const claims = new Map<string, unknown[]>();
    const notes = new Map<string, number>();
    const ledger: AdtLedger = {
      claim: async (message, now) => {
        const key = keyText(message);
        if (claims.has(key) || this.claimed.has(key) || this.known.has(key)) return false;
        if (!this.prefetched.has(message)) {
          const { application, facility, controlId } = message.header;
          const rows = await this.tx.query(
            'SELECT 1 AS found FROM adt_messages WHERE application = $1 AND facility = $2 AND control_id = $3 AND content_hash = $4',
            [application, facility, controlId, message.contentHash],
          );
          if (rows.length > 0) return false;
        }
        claims.set(key, keyRow(message, now));
        return true;
      },
      lastEventMs: async (patientId) => {
        const mine = notes.get(patientId) ?? this.noted.get(patientId);
        if (mine !== undefined) return mine;
        let stored = this.stored.get(patientId);
        if (stored === undefined) {
          stored = await storedLastEvent(this.tx, patientId);
          this.stored.set(patientId, stored);
        }
        return stored;
      },
      noteEvent: async (patientId, eventMs) => {
        notes.set(patientId, eventMs);
      },
    };
    return {
      ledger,
      keep: () => {
        for (const [key, row] of claims) this.claimed.set(key, row);
        for (const [patientId, eventMs] of notes) this.noted.set(patientId, eventMs);
      },
    };
  }

  /** Writes what the kept messages changed; afterwards the database holds it all. */
  async write(): Promise<void> {
    const keys = [...this.claimed.values()];
    for (let i = 0; i < keys.length; i += ROWS_PER_STATEMENT) {
      const chunk = keys.slice(i, i + ROWS_PER_STATEMENT);
      // No ON CONFLICT: a key claimed meanwhile would be a hub defect, and fails the group.
      await this.tx.execute(`INSERT INTO adt_messages ${KEY_COLUMNS} VALUES ${valuesSql(chunk.length, 6)}`, chunk.flat());
    }
    const notes = [...this.noted.entries()];
    for (let i = 0; i < notes.length; i += ROWS_PER_STATEMENT) {
      const chunk = notes.slice(i, i + ROWS_PER_STATEMENT);
      await this.tx.execute(
        `INSERT INTO adt_patient_order (patient_id, last_event_ms) VALUES ${valuesSql(chunk.length, 2)}${UPSERT_ORDER_TAIL}`,
        chunk.flat(),
      );
    }
    for (const key of this.claimed.keys()) this.known.add(key);
    this.claimed.clear();
    this.noted.clear();
    // Another writer of adt_patient_order in this transaction (a merge run on its own) may follow.
    this.stored.clear();
  }
}
