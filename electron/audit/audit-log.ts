// The audit log: its own SQLCipher database (<dataDir>/audit.db, its own key under the same
// custody as the chart cache's, synchronous=FULL), appended to one hash-chained entry at a time.
// `record` returns only after the entry's commit is on disk, so the host records a read before it
// hands out the data. Entries are never updated or deleted (triggers refuse it). An append writes
// the entry row only; the search table of the audit view is brought up to date from the bodies
// afterwards (catchUpSearch: before every find, on close, and whenever the host has a moment).
import type { Statement, Transaction } from 'better-sqlite3-multiple-ciphers';
import type { Logger } from 'pino';
import {
  guardedWhileOpen,
  isVaultError,
  openEncryptedDatabase,
  rekeyEncryptedDatabase,
  type EncryptedConnection,
  type KeyCustodian,
  type VaultErrorCode,
} from '../vault/index.js';
import { entryHash, GENESIS_PREVIOUS_HASH, type AuditEntry, type NewAuditEntry } from './audit-entry.js';
import { AuditError, isAuditError, type AuditErrorCode } from './audit-error.js';
import { AUDIT_FILE_NAME } from './audit-files.js';
import { createAuditMeta } from './audit-meta.js';
import { createAuditPruner, type AuditPruner, type ChainAnchor } from './audit-prune.js';
import { canonicalJson } from '../../shared/json/index.js';
import { verifyChain, type ChainVerdict } from './chain-verify.js';
import { entryBodyOf } from './entry-body.js';
import { searchUsernameTried } from './search-username.js';
import { AUDIT_MIGRATIONS } from './migrations/index.js';
import { ENTRY_COLUMNS, entryOfRow, type CheckedEntryRow, type StoredEntryRow } from './stored-entry.js';
import { createUploadQueue, type UploadQueue } from './upload-queue.js';

export interface OpenAuditLogOptions {
  readonly dataDir: string;
  readonly custodian: KeyCustodian;
  readonly logger?: Logger;
  /** Create the log (and its key) when there is none. Default true: the host must always be able to record. */
  readonly create?: boolean;
  /** Epoch ms of "now" for entries recorded without a time (a fake clock in tests). */
  readonly now?: () => number;
}

/** Filters of the audit view; all optional, combined with AND. */
export interface AuditQuery {
  readonly patient?: string;
  readonly user?: string;
  /** Entries of any of these patients (an empty list matches nothing). */
  readonly patients?: readonly string[];
  /**
   * Entries of any of these users (an empty list matches nothing), and with `usernameTried` also the
   * failed sign-ins that tried that (normalised) username.
   */
  readonly users?: readonly string[];
  readonly usernameTried?: string;
  /** Recorded at or after (epoch ms). */
  readonly fromMs?: number;
  /** Recorded at or before (epoch ms). */
  readonly toMs?: number;
  /** Only entries after this sequence (paging). */
  readonly afterSequence?: number;
  /** Only entries before this sequence (paging newest first). */
  readonly beforeSequence?: number;
  /** Newest first (the audit view) instead of in sequence order. */
  readonly newestFirst?: boolean;
  /** At most this many (default 200, at most 1,000). */
  readonly limit?: number;
}

export interface ChainHead {
  /** 0 for an empty log. */
  readonly sequence: number;
  readonly hash: string;
}

export interface AuditLog {
  /** This workstation's id in the audit trail (made with the log; the entries' `device`). */
  readonly workstationId: string;
  readonly isOpen: boolean;
  /** Appends one entry and returns it once committed to disk. Throws RECORD_FAILED (or INVALID_ENTRY). */
  record(entry: NewAuditEntry): AuditEntry;
  /** Appends several entries in one commit (e.g. one per patient of a census), in order. */
  recordAll(entries: readonly NewAuditEntry[]): AuditEntry[];
  head(): ChainHead;
  get(sequence: number): AuditEntry | null;
  find(query: AuditQuery): AuditEntry[];
  /** Entries recorded at or after `fromMs`, in sequence order, read lazily (exports). */
  iterate(options?: { fromMs?: number }): IterableIterator<AuditEntry>;
  /** Walks the whole chain; names the first bad sequence. */
  verify(): ChainVerdict;
  /** Brings the audit view's search table up to date (off the append path); returns the entries indexed. */
  catchUpSearch(): number;
  /**
   * Deletes entries the hub has acknowledged that were recorded before `beforeMs` (epoch ms), never
   * the chain head nor anything still waiting for the hub; returns how many went.
   */
  pruneAcknowledged(beforeMs: number): number;
  /** The last pruned entry, where the retained chain starts (null: nothing pruned). */
  anchor(): ChainAnchor | null;
  readonly queue: UploadQueue;
  /**
   * Re-encrypts the audit trail under a new random key (crash-safe: see electron/vault's rekey
   * protocol); the entries and the chain are unchanged. Throws AuditError REKEY_FAILED.
   */
  rekey(): Promise<void>;
  close(): void;
}

const MAX_FIND = 1000;
/** Entries indexed per transaction when the search table catches up. */
const SEARCH_BATCH = 5000;

const OPEN_MESSAGES: Partial<Record<VaultErrorCode, [AuditErrorCode, string]>> = {
  KEYSTORE_UNAVAILABLE: [
    'KEYSTORE_UNAVAILABLE',
    'The OS keystore is not available, so the audit trail cannot be opened and no chart can be shown. Ask IT to check the Secret Service (Linux), Keychain (macOS) or Credential Manager (Windows).',
  ],
  KEY_MISSING: [
    'KEY_MISSING',
    "This session's OS keystore holds no key for this workstation's audit trail, so it can be neither read nor extended here, and no chart can be shown. The file was left untouched. If Wardline runs as another user or in another keystore session (a service account, sudo, the demo's private keyring), run the command there. Otherwise ask IT: the audit trail must be recovered or set aside before this workstation is used again.",
  ],
  WRONG_KEY_OR_CORRUPT: [
    'CORRUPT',
    'The audit trail could not be decrypted: its key does not match or its file is damaged. The file was left untouched; no chart can be shown. Ask IT to check it (wardline audit verify).',
  ],
  CORRUPT: [
    'CORRUPT',
    'The audit trail file is damaged. It was left untouched; no chart can be shown. Ask IT to check it (wardline audit verify).',
  ],
  SCHEMA_TOO_NEW: [
    'SCHEMA_TOO_NEW',
    'The audit trail was written by a newer Wardline. Update Wardline on this workstation; the file was left untouched.',
  ],
  MIGRATION_FAILED: [
    'MIGRATION_FAILED',
    'Updating the audit trail to this Wardline version failed; it was left as it was. Ask IT to report this.',
  ],
  NOT_FOUND: ['NOT_FOUND', 'There is no audit trail on this workstation yet (it is created when Wardline first runs).'],
};

/** Opens the audit log in `dataDir`, creating it (and its key) unless `create: false`. */
export async function openAuditLog(options: OpenAuditLogOptions): Promise<AuditLog> {
  const { dataDir, custodian, logger } = options;
  let opened;
  try {
    opened = await openEncryptedDatabase({
      dataDir,
      fileName: AUDIT_FILE_NAME,
      purpose: 'audit',
      custodian,
      migrations: AUDIT_MIGRATIONS,
      create: options.create ?? true,
      synchronous: 'FULL',
      ...(logger ? { logger } : {}),
    });
  } catch (error) {
    const mapped = isVaultError(error) ? OPEN_MESSAGES[error.code] : undefined;
    if (mapped) throw new AuditError(mapped[0], mapped[1], { cause: error });
    throw error;
  }
  const { db, created } = opened;
  db.pragma('busy_timeout = 5000');
  let log: OpenedAuditLog;
  try {
    const rekey = async (): Promise<void> => {
      try {
        await rekeyEncryptedDatabase(db, { dataDir, purpose: 'audit', custodian, label: 'audit trail' });
      } catch (error) {
        if (isVaultError(error)) throw new AuditError('REKEY_FAILED', error.message, { cause: error });
        throw error;
      }
    };
    log = new OpenedAuditLog(db, options.now ?? Date.now, logger, rekey);
  } catch (error) {
    db.close();
    throw error;
  }
  logger?.info({ event: 'audit.open', created, head: log.head().sequence }, created ? 'audit log created' : 'audit log opened');
  return log;
}

class OpenedAuditLog implements AuditLog {
  #db: EncryptedConnection | null;
  readonly workstationId: string;
  readonly queue: UploadQueue;
  readonly #pruner: AuditPruner;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #rekey: () => Promise<void>;
  #rekeying = false;
  readonly #head: Statement<[], ChainHead>;
  readonly #byNumber: Statement<[number], StoredEntryRow>;
  readonly #all: Statement<[], StoredEntryRow>;
  readonly #checked: Statement<[], CheckedEntryRow>;
  readonly #indexBatch: Transaction<(limit: number) => number>;
  readonly #append: (entries: readonly NewAuditEntry[]) => AuditEntry[];
  readonly #finders = new Map<string, Statement<[Record<string, string | number>], StoredEntryRow>>();

  constructor(db: EncryptedConnection, now: () => number, logger: Logger | undefined, rekey: () => Promise<void>) {
    this.#db = db;
    this.#rekey = rekey;
    this.#now = now;
    this.#logger = logger;
    const meta = createAuditMeta(db);
    const workstationId = meta.get('workstation_id');
    if (workstationId === null)
      throw new AuditError('CORRUPT', 'The audit trail has lost its workstation id. Ask IT to check it (wardline audit verify).');
    this.workstationId = workstationId;
    this.queue = guardedWhileOpen(createUploadQueue(db, meta), () => this.#connection());
    this.#pruner = createAuditPruner(db, meta, this.queue);
    this.#head = db.prepare<[], ChainHead>('SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1');
    this.#byNumber = db.prepare<[number], StoredEntryRow>(`SELECT ${ENTRY_COLUMNS} FROM audit_entries WHERE sequence = ?`);
    this.#all = db.prepare<[], StoredEntryRow>(`SELECT ${ENTRY_COLUMNS} FROM audit_entries ORDER BY sequence`);
    this.#checked = db.prepare<[], CheckedEntryRow>(`
      SELECT e.sequence, e.body, e.previous_hash, e.hash, s.recorded_ms, s.user_id, s.patient_id, s.action, s.username_tried
      FROM audit_entries e LEFT JOIN audit_search s ON s.sequence = e.sequence ORDER BY e.sequence`);
    const insert = db.prepare<[number, string, string, string]>(
      'INSERT INTO audit_entries (sequence, body, previous_hash, hash) VALUES (?, ?, ?, ?)',
    );
    const unindexed = db.prepare<[number, number], { sequence: number; body: string }>(
      'SELECT sequence, body FROM audit_entries WHERE sequence > ? ORDER BY sequence LIMIT ?',
    );
    const indexRow = db.prepare<[number, number, string | null, string | null, string, string | null]>(
      'INSERT OR REPLACE INTO audit_search (sequence, recorded_ms, user_id, patient_id, action, username_tried) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#indexBatch = db.transaction((limit: number): number => {
      const through = Number(meta.get('search_through') ?? '0');
      const rows = unindexed.all(through, limit);
      for (const row of rows) {
        const body = JSON.parse(row.body) as {
          time: string;
          user: string | null;
          patient: string | null;
          action: string;
          detail?: unknown;
        };
        indexRow.run(row.sequence, Date.parse(body.time), body.user, body.patient, body.action, searchUsernameTried(body));
      }
      if (rows.length > 0) meta.set('search_through', String(rows[rows.length - 1]!.sequence));
      return rows.length;
    });
    const append = db.transaction((entries: readonly NewAuditEntry[]): AuditEntry[] => {
      const head = this.#head.get();
      let sequence = head?.sequence ?? 0;
      let previousHash = head?.hash ?? GENESIS_PREVIOUS_HASH;
      const nowMs = this.#now();
      const recorded: AuditEntry[] = [];
      for (const entry of entries) {
        sequence += 1;
        const body = entryBodyOf(entry, { sequence, device: this.workstationId, nowMs });
        const json = canonicalJson(body);
        const hash = entryHash(previousHash, json);
        insert.run(sequence, json, previousHash, hash);
        recorded.push({ ...body, previousHash, hash });
        previousHash = hash;
      }
      return recorded;
    });
    this.#append = (entries) => append.immediate(entries);
  }

  get isOpen(): boolean {
    return this.#db !== null;
  }

  record(entry: NewAuditEntry): AuditEntry {
    return this.recordAll([entry])[0]!;
  }

  recordAll(entries: readonly NewAuditEntry[]): AuditEntry[] {
    this.#connection();
    if (entries.length === 0) return [];
    try {
      return this.#append(entries);
    } catch (error) {
      if (isAuditError(error)) throw error;
      this.#logger?.error(
        { event: 'audit.record_failed', entries: entries.length, code: (error as { code?: unknown }).code },
        'audit entry not recorded',
      );
      throw new AuditError(
        'RECORD_FAILED',
        "The audit trail could not be written (the disk may be full or failing), so this cannot be shown. Ask IT to check the workstation's disk.",
        { cause: error },
      );
    }
  }

  head(): ChainHead {
    this.#connection();
    return this.#head.get() ?? { sequence: 0, hash: GENESIS_PREVIOUS_HASH };
  }

  get(sequence: number): AuditEntry | null {
    this.#connection();
    const row = this.#byNumber.get(sequence);
    return row === undefined ? null : entryOfRow(row);
  }

  find(query: AuditQuery): AuditEntry[] {
    const db = this.#connection();
    this.catchUpSearch();
    const conditions: string[] = [];
    const params: Record<string, string | number> = {};
    if (query.patient !== undefined) {
      conditions.push('s.patient_id = @patient');
      params.patient = query.patient;
    }
    if (query.user !== undefined) {
      conditions.push('s.user_id = @user');
      params.user = query.user;
    }
    if (query.patients !== undefined) {
      conditions.push('s.patient_id IN (SELECT value FROM json_each(@patients))');
      params.patients = JSON.stringify(query.patients);
    }
    if (query.users !== undefined || query.usernameTried !== undefined) {
      const either: string[] = [];
      if (query.users !== undefined) {
        either.push('s.user_id IN (SELECT value FROM json_each(@users))');
        params.users = JSON.stringify(query.users);
      }
      if (query.usernameTried !== undefined) {
        // Its own indexed column (normalised as sign-in normalises), not the bodies read one by one.
        either.push('s.username_tried = @tried');
        params.tried = query.usernameTried;
      }
      conditions.push(`(${either.join(' OR ')})`);
    }
    if (query.fromMs !== undefined) {
      conditions.push('s.recorded_ms >= @fromMs');
      params.fromMs = query.fromMs;
    }
    if (query.toMs !== undefined) {
      conditions.push('s.recorded_ms <= @toMs');
      params.toMs = query.toMs;
    }
    if (query.afterSequence !== undefined) {
      conditions.push('s.sequence > @after');
      params.after = query.afterSequence;
    }
    if (query.beforeSequence !== undefined) {
      conditions.push('s.sequence < @before');
      params.before = query.beforeSequence;
    }
    params.limit = Math.max(1, Math.min(MAX_FIND, Math.trunc(query.limit ?? 200)));
    const sql = `SELECT e.sequence, e.body, e.previous_hash, e.hash FROM audit_search s JOIN audit_entries e ON e.sequence = s.sequence${
      conditions.length ? ` WHERE ${conditions.join(' AND ')}` : ''
    } ORDER BY s.sequence${query.newestFirst === true ? ' DESC' : ''} LIMIT @limit`;
    let statement = this.#finders.get(sql);
    if (statement === undefined) {
      statement = db.prepare<[Record<string, string | number>], StoredEntryRow>(sql);
      this.#finders.set(sql, statement);
    }
    return statement.all(params).map(entryOfRow);
  }

  catchUpSearch(): number {
    this.#connection();
    let indexed = 0;
    for (;;) {
      const batch = this.#indexBatch.immediate(SEARCH_BATCH);
      indexed += batch;
      if (batch < SEARCH_BATCH) return indexed;
    }
  }

  pruneAcknowledged(beforeMs: number): number {
    this.catchUpSearch();
    const pruned = this.#pruner.prune(beforeMs);
    if (pruned > 0) this.#logger?.info({ event: 'audit.pruned', entries: pruned }, 'acknowledged audit entries pruned');
    return pruned;
  }

  anchor(): ChainAnchor | null {
    this.#connection();
    return this.#pruner.anchor();
  }

  *iterate(options: { fromMs?: number } = {}): IterableIterator<AuditEntry> {
    this.#connection();
    // Event times are not strictly in sequence order (a timeout carries its own deadline), so the
    // filter reads the bodies rather than the search table.
    for (const row of this.#all.iterate()) {
      const entry = entryOfRow(row);
      if (options.fromMs === undefined || Date.parse(entry.time) >= options.fromMs) yield entry;
    }
  }

  verify(): ChainVerdict {
    this.#connection();
    const acknowledged = this.queue.hubAcknowledged();
    return verifyChain(this.#checked.iterate(), acknowledged, this.#pruner.anchor());
  }

  async rekey(): Promise<void> {
    this.#connection();
    if (this.#rekeying)
      throw new AuditError('REKEY_FAILED', 'A change of the audit trail key is already under way. Wait for it to finish.');
    this.#rekeying = true;
    try {
      await this.#rekey();
      this.#logger?.info({ event: 'audit.rekey' }, 'audit trail key changed');
    } finally {
      this.#rekeying = false;
    }
  }

  close(): void {
    if (this.#db === null) return;
    try {
      this.catchUpSearch();
    } catch (error) {
      this.#logger?.warn(
        { event: 'audit.search_catch_up_failed', code: (error as { code?: unknown }).code },
        'audit search table not brought up to date',
      );
    }
    this.#db.close();
    this.#db = null;
    this.#logger?.info({ event: 'audit.close' }, 'audit log closed');
  }

  #connection(): EncryptedConnection {
    if (this.#db === null) {
      throw new AuditError('CLOSED', 'The audit trail is closed, so nothing can be shown or recorded. Restart Wardline.');
    }
    return this.#db;
  }
}
