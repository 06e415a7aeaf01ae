// A pipelined window applied as one group commit leaves the hub exactly as the same messages sent
// one at a time (each in its own transaction) do: the same answers, the same resources and versions,
// the same duplicate keys and patient order, including a merge (A40) in the middle of the group, a
// refused message whose earlier writes must vanish, and a repeat inside the group. Both engines.
import { Hl7Message } from '@medplum/core';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { migrateHub } from '../../server/app.js';
import { putResources } from '../../server/fhir/index.js';
import { addFeed, receiveAdtMessage, receiveAdtMessages } from '../../server/integration/index.js';
import { openHubDatabase, openSqliteDatabase, type SqlDatabase } from '../../server/storage/index.js';
import { testPostgres } from '../support/hub-harness.js';

async function hubWithWards(engine: 'sqlite' | 'postgres'): Promise<{ db: SqlDatabase; secret: string }> {
  const db =
    engine === 'sqlite'
      ? openSqliteDatabase(':memory:')
      : await openHubDatabase({ postgresUrl: await (await testPostgres()).createDatabase() });
  await migrateHub(db);
  const now = new Date('2026-01-15T07:00:00Z');
  await putResources(
    db,
    ['a', 'b'].map((ward) => ({ resourceType: 'Location' as const, id: `ward-${ward}`, status: 'active' as const, name: `Ward ${ward}` })),
    now,
  );
  const { secret } = await addFeed(db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, now);
  return { db, secret };
}

function window(secret: string): string[] {
  const message = (control: string, event: string, at: string, pid: string, rest: string[]) =>
    [`MSH|^~\\&|EHR|GENERAL|WARDLINE|HUB|${at}|${secret}|ADT^${event}^ADT_A01|${control}|P|2.5`, `EVN|${event}|${at}`, pid, ...rest].join(
      '\r',
    );
  const pid = (mrn: string, family: string, birth: string) => `PID|1||${mrn}^^^GENERAL^MR||${family}^Alex||${birth}|F`;
  return [
    message('G1', 'A01', '20260115080000', pid('MRN71', 'Groupova', '19700101'), ['PV1|1|I|a^1^1||||||||||||||||V71']),
    // A registration (not a stay), so the merge below does not give the survivor a second stay.
    message('G2', 'A04', '20260115080100', pid('MRN72', 'Groupova', '19700202'), ['PV1|1|I|a^2^1||||||||||||||||V72']),
    message('G3', 'A02', '20260115080200', pid('MRN71', 'Groupova', '19700101'), ['PV1|1|I|b^3^1||||||||||||||||V71']),
    // Refused after its patient update was queued: the rename must vanish with it (unknown ward).
    message('G4', 'A01', '20260115080300', pid('MRN72', 'Renamed', '19700202'), ['PV1|1|I|zz^1^1||||||||||||||||V74']),
    message('G5', 'A08', '20260115080400', pid('MRN71', 'Groupovna', '19700101'), []),
    // MRN72 is merged into MRN71: the admission V72 moves to the survivor.
    message('G6', 'A40', '20260115080500', pid('MRN71', 'Groupovna', '19700101'), ['MRG|MRN72^^^GENERAL^MR']),
    message('G7', 'A03', '20260115080600', pid('MRN71', 'Groupovna', '19700101'), ['PV1|1|I|a^2^1||||||||||||||||V72']),
    message('G3', 'A02', '20260115080200', pid('MRN71', 'Groupova', '19700101'), ['PV1|1|I|b^3^1||||||||||||||||V71']),
    // Older than the merge applied to this patient: refused.
    message('G8', 'A08', '20260115080450', pid('MRN71', 'Late', '19700101'), []),
    message('G9', 'A03', '20260115080700', pid('MRN71', 'Groupovna', '19700101'), ['PV1|1|I|b^3^1||||||||||||||||V71']),
  ];
}

/** What the hub holds, without the ids and stamps that differ between two runs. */
async function holdings(db: SqlDatabase): Promise<unknown> {
  const rows = await db.query<{ res_type: string; res_id: string; version: number; content: string | null }>(
    'SELECT res_type, res_id, version, content FROM fhir_resources ORDER BY res_type, res_id',
  );
  const names = new Map<string, string>();
  for (const row of rows) {
    const resource = JSON.parse(row.content ?? '{}') as { identifier?: { value?: string }[] };
    const label = resource.identifier?.[0]?.value ?? row.res_id;
    names.set(`${row.res_type}/${row.res_id}`, `${row.res_type}/${label}`);
  }
  const relabel = (text: string) =>
    text
      .replace(
        /"(Patient|Encounter|Location)\/([A-Za-z0-9.-]+)"/g,
        (whole, type: string, id: string) => `"${names.get(`${type}/${id}`) ?? whole}"`,
      )
      .replace(/"id":"[0-9a-f-]{36}",?/g, '')
      .replace(/"lastUpdated":"[^"]+"/g, '');
  const resources = rows.map((row) => `${names.get(`${row.res_type}/${row.res_id}`)} v${row.version} ${relabel(row.content ?? 'deleted')}`);
  const versions = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM fhir_versions');
  const keys = await db.query<{ control_id: string }>('SELECT control_id FROM adt_messages ORDER BY control_id');
  const order = await db.query<{ patient_id: string; last_event_ms: number }>('SELECT patient_id, last_event_ms FROM adt_patient_order');
  return {
    resources,
    versions: Number(versions[0]!.n),
    keys: keys.map((row) => row.control_id),
    order: order.map((row) => `${names.get(`Patient/${row.patient_id}`)} ${Number(row.last_event_ms)}`).sort(),
  };
}

const logger = pino({ level: 'silent' });

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`a pipelined window as one group commit (${engine})`, () => {
    it('answers and stores exactly what the same messages sent one at a time do', async () => {
      const single = await hubWithWards(engine);
      const grouped = await hubWithWards(engine);
      const ctxOf = (db: SqlDatabase) => ({ db, logger, clock: () => new Date('2026-01-15T09:00:00Z') });
      const one: string[] = [];
      for (const text of window(single.secret)) {
        const answer = await receiveAdtMessage(ctxOf(single.db), Hl7Message.parse(text));
        one.push(`${answer.outcome} ${answer.ack.getSegment('MSA')?.getField(1)?.toString()}`);
      }
      const answers = await receiveAdtMessages(
        ctxOf(grouped.db),
        window(grouped.secret).map((text) => Hl7Message.parse(text)),
      );
      const all = answers.map((answer) => `${answer.outcome} ${answer.ack.getSegment('MSA')?.getField(1)?.toString()}`);

      expect(all).toEqual([
        'applied AA',
        'applied AA',
        'applied AA',
        'refused AE',
        'applied AA',
        'applied AA',
        'applied AA',
        'duplicate AA',
        'refused AE',
        'applied AA',
      ]);
      expect(all).toEqual(one);
      const held = (await holdings(grouped.db)) as { resources: string[]; keys: string[] };
      expect(held).toEqual(await holdings(single.db));
      // The refused transfer's rename left nothing; the merge moved visit V72 to the survivor.
      expect(held.resources.join('\n')).not.toContain('Renamed');
      expect(held.resources.find((line) => line.startsWith('Encounter/V72'))).toContain('"subject":{"reference":"Patient/MRN71"}');
      expect(held.keys).toEqual(['G1', 'G2', 'G3', 'G5', 'G6', 'G7', 'G9']);
      await single.db.close();
      await grouped.db.close();
    });
  });
}
