// A search of the hub's trail with no period does not read the whole trail: each source (uploaded
// events, break-the-glass reads, sign-ins, the officer's own searches) is read newest first through
// its (time, id) index, a page at most, on SQLite and on PostgreSQL. Checked on the engines' own
// query plans for the statements a search, a next page and an export run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateHub } from '../../server/app.js';
import { searchTrail } from '../../server/audit-trail/index.js';
import { newHubKey, openHubDatabase, type SqlDatabase } from '../../server/storage/index.js';
import { testPostgres, type HubEngine } from '../support/hub-harness.js';

const TABLES = ['audit_events', 'hub_access_log', 'identity_sign_ins', 'audit_trail_views'];

interface Statement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The database, recording each query run through it. */
function recording(db: SqlDatabase, statements: Statement[]): SqlDatabase {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'query')
        return (sql: string, params: readonly unknown[] = []) => {
          statements.push({ sql, params });
          return target.query(sql, params);
        };
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

describe.each<HubEngine>(['sqlite', 'postgres'])('a trail search without a period on %s', (engine) => {
  let db: SqlDatabase;
  let folder: string;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wardline-trail-paging-'));
    db =
      engine === 'sqlite'
        ? await openHubDatabase({ sqlitePath: join(folder, 'hub.sqlite'), hubKey: { current: newHubKey() } })
        : await openHubDatabase({ postgresUrl: await (await testPostgres()).createDatabase() });
    await migrateHub(db);
  });

  afterAll(async () => {
    await db?.close();
    await rm(folder, { recursive: true, force: true });
  });

  /** The plan's lines for one statement. */
  async function plan(statement: Statement): Promise<string[]> {
    if (engine === 'sqlite') {
      const rows = await db.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${statement.sql}`, statement.params);
      return rows.map((row) => row.detail);
    }
    // Tables this small would be read whole by any plan; the question is whether an index can serve.
    return db.transaction(async (tx) => {
      await tx.execute('SET LOCAL enable_seqscan = off');
      await tx.execute('SET LOCAL enable_sort = off');
      const rows = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.sql}`, statement.params);
      return rows.map((row) => row['QUERY PLAN']);
    });
  }

  it('reads each source through its (time, id) index, at most a page of it, never the whole table', async () => {
    const statements: Statement[] = [];
    const spy = recording(db, statements);
    await searchTrail(spy, {}, { count: 51 });
    await searchTrail(spy, { actions: ['chart-read'] }, { count: 51, after: { at: Date.now(), source: 'hub-sign-in', id: 'x' } });
    await searchTrail(spy, { dedup: false }, { count: 1000, order: 'oldest', after: { at: 0, source: 'workstation', id: 'y' } });
    expect(statements).toHaveLength(3);
    for (const [n, statement] of statements.entries()) {
      const text = (await plan(statement)).join('\n');
      for (const table of TABLES) {
        const fullScan = engine === 'sqlite' ? new RegExp(`SCAN ${table}(?! USING)`) : new RegExp(`Seq Scan on ${table}`);
        const byPage =
          engine === 'sqlite'
            ? new RegExp(`(SCAN|SEARCH) ${table} USING (COVERING )?INDEX ${table}_page`)
            : new RegExp(`Index Scan( Backward)? using ${table}_page on ${table}`);
        expect(text, text).not.toMatch(fullScan);
        // Read in index order, each source cut off at the page size (a filter the planner can tell
        // matches nothing of a source, e.g. chart reads among sign-ins, may skip that source).
        if (n === 0 || text.includes(` ${table} `) || text.includes(` ${table}\n`)) expect(text, text).toMatch(byPage);
      }
      expect(statement.params).toContain(n === 2 ? 1000 : 51);
      // Collapsing repeated census reads looks each earlier read up by its patient (or user), not by a scan.
      if (n < 2) {
        expect(text, text).toMatch(
          engine === 'sqlite'
            ? /SEARCH p USING INDEX audit_events_by_(patient|user) \((patient|user)_id=/
            : /Index Scan using audit_events_by_patient on audit_events p/,
        );
      }
    }
  });
});
