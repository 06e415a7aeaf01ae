// The embedded engine: one SQLite file through better-sqlite3, in WAL mode. Writes (and every
// transaction) go through one writer connection under an async lock; reads outside a transaction
// use a second, read-only connection, so they see committed data only and never wait for a writer.
// With a key, both connections are encrypted with the hub cipher (hub-cipher.ts, sqlite-cipher.ts);
// the hub's CLI always gives one, and refuses a plain (unencrypted) hub database. A file written
// under an earlier hub cipher (SQLCipher 4) is re-encrypted with the hub cipher before it is opened.
// A worker thread copies the write-ahead log into the file as it grows (wal-checkpointer.ts).
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import { AsyncMutex } from './async-mutex.js';
import { interruptedCommandHint } from './leftover-journal.js';
import { SecretEnvelope } from './secret-envelope.js';
import type { SqlDatabase, TransactionOptions } from './sql-database.js';
import {
  applyAtRestPragmas,
  isNotADatabase,
  isPlainSqliteFile,
  keySqliteConnection,
  SqliteDriver as Database,
  type SqliteConnection,
  upgradeHubCipher,
} from './sqlite-cipher.js';
import { StorageError } from './storage-error.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface SqliteOptions {
  /** How long a writer waits for another process holding the write lock (ms). Default 10 s. */
  readonly busyTimeoutMs?: number;
  /** The database key (32 bytes, raw). Without it the file is plain SQLite (unit tests, the bench control). */
  readonly key?: Buffer;
  /**
   * Seals the protected secrets stored in it. Default: a throwaway key for `:memory:`, none (every
   * seal/open fails) for a file.
   */
  readonly secrets?: SecretEnvelope;
}

/** Page cache per connection, in KiB: decrypted index pages stay in memory between batches. */
const CACHE_KIB = 32 * 1024;

/**
 * The write-ahead log is copied back into the database file once it holds this many pages (4 KiB
 * each, so ~40 MB; SQLite's default is 1,000). Every page is encrypted again when it is copied, and an
 * index page written by many commits is copied once per checkpoint: a longer log means far fewer
 * copies for a stream of small commits (ADT) or a bulk pull (the upstream mirror). The file is then
 * cut back to WAL_SIZE_LIMIT_BYTES. Once the log grows, a worker thread checkpoints it as writes
 * go on (wal-checkpointer.ts), so this bound, reached on the writer's thread, finds little to copy.
 */
const WAL_CHECKPOINT_PAGES = 10_000;
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * A statement's SQL for better-sqlite3: each `$n` (outside string literals) becomes an anonymous `?`,
 * bound by position (far cheaper than named parameters for a multi-row insert's thousands of
 * values); `order[k]` is the index, in the caller's params, of the k-th `?`.
 */
export function translatePlaceholders(sql: string): { readonly sql: string; readonly order: readonly number[] } {
  let out = '';
  const order: number[] = [];
  let inString = false;
  for (let i = 0; i < sql.length; i++) {
    const ch = sql[i]!;
    if (ch === "'") inString = !inString;
    if (!inString && ch === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j]!)) j++;
      order.push(Number(sql.slice(i + 1, j)) - 1);
      out += '?';
      i = j - 1;
      continue;
    }
    out += ch;
  }
  return { sql: out, order };
}

interface PreparedStatement {
  readonly statement: Statement;
  readonly order: readonly number[];
  /** The placeholders are $1…$n once each, in order: the params bind as they are. */
  readonly inOrder: boolean;
}

function bindable(value: unknown): unknown {
  return value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

function bindings(prepared: PreparedStatement, params: readonly unknown[] | undefined): unknown[] {
  const given = params ?? [];
  const { order } = prepared;
  const out = new Array<unknown>(order.length);
  if (prepared.inOrder && given.length >= order.length) {
    for (let k = 0; k < order.length; k++) out[k] = bindable(given[k]);
    return out;
  }
  for (let k = 0; k < order.length; k++) {
    const index = order[k]!;
    if (index >= given.length) throw new RangeError(`Missing value for placeholder $${index + 1}`);
    out[k] = bindable(given[index]);
  }
  return out;
}

class StatementCache {
  private readonly cache = new Map<string, PreparedStatement>();
  constructor(readonly connection: SqliteConnection) {}

  get(sql: string): PreparedStatement {
    let prepared = this.cache.get(sql);
    if (!prepared) {
      const translated = translatePlaceholders(sql);
      prepared = {
        statement: this.connection.prepare(translated.sql),
        order: translated.order,
        inOrder: translated.order.every((index, k) => index === k),
      };
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, prepared);
    }
    return prepared;
  }
}

function runStatement<Row>(prepared: PreparedStatement, params: readonly unknown[] | undefined): Row[] {
  const bound = bindings(prepared, params);
  if (prepared.statement.reader) return prepared.statement.all(bound) as Row[];
  prepared.statement.run(bound);
  return [];
}

function executeStatement(prepared: PreparedStatement, params: readonly unknown[] | undefined): { changes: number } {
  const bound = bindings(prepared, params);
  if (prepared.statement.reader) {
    prepared.statement.all(bound);
    return { changes: 0 };
  }
  return { changes: prepared.statement.run(bound).changes };
}

/** A handle bound to the writer connection while one transaction is open on it. */
class SqliteTransaction implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private open = true;
  private savepoints = 0;

  constructor(
    private readonly writer: StatementCache,
    readonly secrets: SecretEnvelope,
  ) {}

  private check(): void {
    if (!this.open) {
      throw new StorageError('TRANSACTION_FINISHED', 'A database statement was issued after its transaction ended; this is a hub defect.');
    }
  }

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    this.check();
    return runStatement<Row>(this.writer.get(sql), params);
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    this.check();
    return executeStatement(this.writer.get(sql), params);
  }

  async transaction<T>(work: (tx: SqlDatabase) => Promise<T>): Promise<T> {
    this.check();
    const name = `sp_${++this.savepoints}`;
    this.writer.connection.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work(this);
      this.writer.connection.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.writer.connection.exec(`ROLLBACK TO ${name}`);
      this.writer.connection.exec(`RELEASE ${name}`);
      throw error;
    }
  }

  finish(): void {
    this.open = false;
  }

  async close(): Promise<void> {
    throw new StorageError('TRANSACTION_FINISHED', 'A transaction handle cannot close the database; this is a hub defect.');
  }
}

class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite' as const;
  private readonly lock = new AsyncMutex();
  private closed = false;

  constructor(
    private readonly writer: StatementCache,
    private readonly reader: StatementCache,
    readonly secrets: SecretEnvelope,
    private readonly checkpointer: WalCheckpointer | null = null,
  ) {}

  async query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
    const onReader = this.reader.get(sql);
    if (onReader.statement.readonly && this.reader !== this.writer) return runStatement<Row>(onReader, params);
    return this.lock.run(() => runStatement<Row>(this.writer.get(sql), params));
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<{ changes: number }> {
    const result = await this.lock.run(() => executeStatement(this.writer.get(sql), params));
    this.checkpointer?.afterCommit();
    return result;
  }

  transaction<T>(work: (tx: SqlDatabase) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    return this.lock.run(async () => {
      const connection = this.writer.connection;
      if (options.durable) connection.pragma('synchronous = FULL');
      connection.exec('BEGIN IMMEDIATE');
      const tx = new SqliteTransaction(this.writer, this.secrets);
      try {
        const result = await work(tx);
        tx.finish();
        connection.exec('COMMIT');
        this.checkpointer?.afterCommit();
        return result;
      } catch (error) {
        tx.finish();
        if (connection.inTransaction) connection.exec('ROLLBACK');
        throw error;
      } finally {
        if (options.durable) connection.pragma('synchronous = NORMAL');
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer?.close();
    await this.lock.run(() => {
      if (this.reader !== this.writer) this.reader.connection.close();
      this.writer.connection.close();
    });
  }
}

function openConnection(path: string, options: SqliteOptions, readonly: boolean): SqliteConnection {
  const connection = new Database(path, { timeout: options.busyTimeoutMs ?? 10_000, readonly });
  try {
    if (options.key !== undefined) {
      keySqliteConnection(connection, options.key);
      // Proves the key: page 1 must decrypt.
      connection.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
      applyAtRestPragmas(connection);
    }
    connection.pragma(`cache_size=-${CACHE_KIB}`);
    return connection;
  } catch (error) {
    connection.close();
    if (isNotADatabase(error)) {
      throw new StorageError(
        'WRONG_KEY',
        'The hub database could not be decrypted: this is not the key it was encrypted with, or the file is damaged. The file was left untouched. Start the hub with the key it was created with (--key-file or the OS keystore).',
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The writer connection, under the hub cipher first: opened read-write, it rolls back the journal an
 * interrupted rotate-keys or encrypt-database left (a read-only probe cannot, so it would refuse the
 * file). Only when the key fits no page there (NOTADB) are earlier hub ciphers tried, and a file one
 * of them opens is re-encrypted with the hub cipher before it is opened again. When none opens it and a
 * journal is left, the refusal says which command was interrupted and what to do (leftover-journal.ts).
 */
function openWriterConnection(path: string, options: SqliteOptions, inMemory: boolean): SqliteConnection {
  try {
    return openConnection(path, options, false);
  } catch (error) {
    const wrongKey = error instanceof StorageError && error.code === 'WRONG_KEY';
    if (!wrongKey || inMemory || options.key === undefined) throw error;
    if (upgradeHubCipher(path, options.key)) return openConnection(path, options, false);
    if (existsSync(`${path}-journal`)) {
      throw new StorageError('WRONG_KEY', `${error.message} ${interruptedCommandHint(path, `${basename(path)}-journal`)}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * Turns on the write-ahead log. Two hub processes opening a fresh file at once can both hold a shared
 * lock while each asks for the exclusive one the switch needs; SQLite answers that deadlock with
 * SQLITE_BUSY at once instead of waiting, so the switch is retried for up to the busy timeout.
 */
function switchToWriteAheadLog(connection: SqliteConnection, waitMs = 10_000): void {
  const deadline = Date.now() + waitMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt += 1) {
    try {
      connection.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = (error as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, Math.min(5 * attempt, 50));
    }
  }
}

/**
 * Opens (creating if needed) the hub's SQLite file. `:memory:` gives a private in-memory database.
 * With a key, an existing unencrypted file is refused (UNENCRYPTED_DATABASE) and left untouched, and
 * one the key opens under an earlier hub cipher is first re-encrypted with the hub cipher (crash-safe;
 * refused with DATABASE_UNAVAILABLE while another process holds it).
 */
export function openSqliteDatabase(path: string, options: SqliteOptions = {}): SqlDatabase {
  const inMemory = path === ':memory:' || path === '';
  const secrets = options.secrets ?? (inMemory ? SecretEnvelope.ephemeral() : SecretEnvelope.none());
  if (options.key !== undefined && !inMemory && isPlainSqliteFile(path)) {
    throw new StorageError(
      'UNENCRYPTED_DATABASE',
      'The hub database is an unencrypted file from an earlier Wardline version. Stop the hub and run wardline-hub encrypt-database (with the same --data and key options) to encrypt it in place.',
    );
  }
  let writerConnection: SqliteConnection;
  try {
    writerConnection = openWriterConnection(path, options, inMemory);
  } catch (cause) {
    if (cause instanceof StorageError) throw cause;
    throw new StorageError(
      'DATABASE_UNAVAILABLE',
      'The hub database file could not be opened. Check that the data folder exists and the hub may write to it.',
      { cause },
    );
  }
  if (!inMemory) switchToWriteAheadLog(writerConnection, options.busyTimeoutMs ?? 10_000);
  writerConnection.pragma('synchronous = NORMAL');
  writerConnection.pragma('foreign_keys = ON');
  writerConnection.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  writerConnection.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  const writer = new StatementCache(writerConnection);
  if (inMemory) return new SqliteDatabase(writer, writer, secrets);
  const readerConnection = openConnection(path, options, true);
  return new SqliteDatabase(writer, new StatementCache(readerConnection), secrets, new WalCheckpointer(path, options.key));
}
