// A page of a patient's compartment as entry JSON: what the database assembles on SQLite is what
// the row-by-row path makes, and a walk over the pages serves each of the patient's live resources
// once (whatever the page size, an exact multiple included), nothing of another patient, nothing
// deleted, only the types asked for.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../shared/fhir/index.js';
import { openSqliteDatabase, runMigrations, type SqlDatabase } from '../../storage/index.js';
import { patientCompartmentPage, type CompartmentPageQuery, type EntryFrame } from './compartment-page.js';
import { beginWrite, endWrite } from './hub-clock.js';
import { readCurrent, writeDeletion, writeVersions } from './resource-store.js';
import { resourceStoreMigrations } from './resource-store-migrations.js';

const FRAME: EntryFrame = {
  head: '{"fullUrl":"https://hub.example/fhir/',
  beforeResource: '","resource":',
  tail: ',"search":{"mode":"match"}}',
};

function observation(id: string, patient: string, text: string): Resource {
  return { resourceType: 'Observation', id, status: 'final', code: { text }, subject: { reference: `Patient/${patient}` } } as Resource;
}

async function withDb(run: (db: SqlDatabase) => Promise<void>): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'wardline-compartment-'));
  const db = openSqliteDatabase(join(folder, 'hub.sqlite'));
  try {
    await runMigrations(db, resourceStoreMigrations);
    const resources: Resource[] = [
      { resourceType: 'Patient', id: 'p1' } as Resource,
      { resourceType: 'Patient', id: 'p2' } as Resource,
      { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } } as Resource,
      {
        resourceType: 'Flag',
        id: 'f1',
        status: 'active',
        code: { text: 'Allergie: Pénicilline ✓' },
        subject: { reference: 'Patient/p1' },
      } as Resource,
      ...Array.from({ length: 9 }, (_, i) => observation(`o${i}`, 'p1', `Glucose ${i} µmol/L`)),
      observation('other', 'p2', 'not p1'),
      observation('gone', 'p1', 'deleted'),
    ];
    await db.transaction(async (tx) => {
      const session = await beginWrite(tx, new Date());
      await writeVersions(
        tx,
        session,
        resources.map((resource) => ({ resource, previous: null })),
      );
      await endWrite(tx, session);
    });
    await db.transaction(async (tx) => {
      const session = await beginWrite(tx, new Date());
      await writeDeletion(tx, session, (await readCurrent(tx, 'Observation', 'gone'))!);
      await endWrite(tx, session);
    });
    await run(db);
  } finally {
    await db.close();
    await rm(folder, { recursive: true, force: true });
  }
}

interface Walked {
  readonly pages: string[];
  readonly entries: { fullUrl: string; resource: Resource }[];
}

async function walk(db: SqlDatabase, query: Omit<CompartmentPageQuery, 'after' | 'frame'>): Promise<Walked> {
  const pages: string[] = [];
  const entries: Walked['entries'] = [];
  let after: CompartmentPageQuery['after'];
  for (;;) {
    const page = await patientCompartmentPage(db, { ...query, frame: FRAME, ...(after ? { after } : {}) });
    const text = page.entries === null ? '' : page.entries.toString();
    pages.push(text);
    if (text) entries.push(...(JSON.parse(`[${text}]`) as Walked['entries']));
    if (!page.more) return { pages, entries };
    after = page.last!;
  }
}

const P1_LIVE = ['Condition/c1', 'Flag/f1', ...Array.from({ length: 9 }, (_, i) => `Observation/o${i}`), 'Patient/p1'];

describe('a page of the patient compartment as entry JSON', () => {
  it.each([1, 3, 4, 12, 100])('serves every live resource of the patient once, in pages of %i, the same on both paths', async (count) => {
    await withDb(async (db) => {
      const assembled = await walk(db, { patientId: 'p1', count, types: null });
      const byRows = await walk(db, { patientId: 'p1', count, types: null, mayRead: () => true });
      expect(assembled.pages).toEqual(byRows.pages);
      const keys = assembled.entries.map((entry) => `${entry.resource.resourceType}/${entry.resource.id}`);
      expect(keys).toEqual(P1_LIVE);
      expect(assembled.entries.map((entry) => entry.fullUrl)).toEqual(P1_LIVE.map((key) => `https://hub.example/fhir/${key}`));
      expect(assembled.pages.length).toBe(Math.ceil(P1_LIVE.length / count));
      const flag = assembled.entries.find((entry) => entry.resource.id === 'f1')!.resource as { code: { text: string } };
      expect(flag.code.text).toBe('Allergie: Pénicilline ✓');
    });
  });

  it('serves only the types asked for, and nothing when none is', async () => {
    await withDb(async (db) => {
      const some = await walk(db, { patientId: 'p1', count: 2, types: ['Patient', 'Flag'] });
      expect(some.entries.map((entry) => entry.resource.id)).toEqual(['f1', 'p1']);
      const none = await walk(db, { patientId: 'p1', count: 2, types: [] });
      expect(none.entries).toEqual([]);
      expect(none.pages).toEqual(['']);
    });
  });

  it('leaves out the rows a row judge refuses, and still walks past them', async () => {
    await withDb(async (db) => {
      const judged = await walk(db, { patientId: 'p1', count: 2, types: null, mayRead: (row) => row.type !== 'Observation' });
      expect(judged.entries.map((entry) => entry.resource.id)).toEqual(['c1', 'f1', 'p1']);
      expect(judged.pages.length).toBe(Math.ceil(P1_LIVE.length / 2));
    });
  });
});
