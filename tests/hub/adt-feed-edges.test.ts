// Edges of the ADT feed an interface engine meets in real life, through the hub's MLLP listener with a
// third-party HL7 v2 client (node-hl7-client) over TLS (docs/INTEGRATION.md "Duplicates", "Ordering"
// and "The integration principal"):
// - senders reuse control ids and resend days later: a resend inside the retention (14 days by
//   default) is acknowledged again and applied once; once a key is older than that it is forgotten;
// - an event dated ahead of the hub's clock (a wrong year or month) is refused, so it
//   cannot become the patient's newest event and block every true one after it;
// - a message without the feed's credential is refused for that (AR, 207) whatever else it holds, so
//   a stranger learns nothing of how the hub reads messages.
// The hub's clock is moved, not the test's. Synthetic data only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFeed, startMllpListener, type MllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { startHub, type TestHub } from '../support/hub-harness.js';
import { adtMessage, openHl7Sender, type AdtFields, type Hl7Sender } from '../support/hl7-sender.js';
import { memoryLogger, seedGeneratedWard } from '../sync/sync-test-kit.js';

const DAY_MS = 86_400_000;

let hub: TestHub;
let tls: { certPem: string; keyPem: string };
let secret: string;
let now = new Date('2026-03-01T08:00:00Z');
let listener: MllpListener | undefined;
let sender: Hl7Sender | undefined;

/** (Re)starts the listener on the hub's store with the moved clock, as a hub restart does. */
async function listen(): Promise<void> {
  await sender?.close();
  await listener?.close();
  listener = await startMllpListener({
    db: hub.db,
    logger: memoryLogger().logger,
    port: 0,
    host: '127.0.0.1',
    tls,
    clock: () => now,
  });
  sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
}

const storeMark = async (): Promise<string> => {
  const rows = await hub.db.query<{ n: number; top: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS top FROM fhir_versions');
  return `${rows[0]!.n}/${rows[0]!.top}`;
};

const keysOf = async (controlId: string): Promise<number> =>
  Number((await hub.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM adt_messages WHERE control_id = $1', [controlId]))[0]!.n);

/** The message as the engine sends it at `sentAt` (MSH-7): a resend differs from the first only there. */
const message = (fields: Omit<AdtFields, 'secret' | 'at'> & { secret?: string; at?: string }, sentAt: string): string =>
  adtMessage({ secret, at: '20260301080000', ...fields }).replace(/^(MSH(?:\|[^|\n]*){5}\|)\d+/, `$1${sentAt}`);

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: 'adt-duplicate-keys', patients: 1, days: 1 });
  ({ secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, now));
  tls = createDevCertificate();
  await listen();
}, 120_000);

afterAll(async () => {
  await sender?.close();
  await listener?.close();
  await hub?.stop();
});

describe('ADT duplicate keys over days', () => {
  it('acknowledges a resend 13 days later again and applies it once; after the retention the key is forgotten', async () => {
    const admit = { event: 'A01', mrn: 'MRN7700001', location: 'a^5^1', visit: 'V7700001', controlId: 'REUSE-1' } as const;
    const first = await sender!.send(message(admit, '20260301080000'));
    expect(first).toMatchObject({ code: 'AA', controlId: 'REUSE-1' });
    expect(first.text).not.toMatch(/Already applied/);
    const applied = await storeMark();
    expect(await keysOf('REUSE-1')).toBe(1);

    // The engine's queue is replayed after an outage on its side, 13 days on, with a new send time.
    now = new Date(now.getTime() + 13 * DAY_MS);
    await listen();
    const resend = await sender!.send(message(admit, '20260314080000'));
    expect(resend).toMatchObject({ code: 'AA', controlId: 'REUSE-1' });
    expect(resend.text).toMatch(/Already applied/);
    expect(await storeMark()).toBe(applied);

    // Past the 14 days the key is removed (at start and hourly), and nothing else with it.
    now = new Date(now.getTime() + 2 * DAY_MS);
    await listen();
    expect(await keysOf('REUSE-1')).toBe(0);
    expect(await storeMark()).toBe(applied);
  });

  it('keeps a key only as long as --mllp-duplicate-days says', async () => {
    const update = { event: 'A08', mrn: 'MRN7700001', family: 'Keeperova', controlId: 'SHORT-1' } as const;
    expect((await sender!.send(message(update, '20260316080000'))).code).toBe('AA');
    await sender!.close();
    await listener!.close();
    now = new Date(now.getTime() + 2 * DAY_MS);
    listener = await startMllpListener({
      db: hub.db,
      logger: memoryLogger().logger,
      port: 0,
      host: '127.0.0.1',
      tls,
      clock: () => now,
      duplicateRetentionDays: 3,
    });
    sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
    expect(await keysOf('SHORT-1')).toBe(1);
    expect((await sender.send(message(update, '20260318080000'))).text).toMatch(/Already applied/);
    await sender.close();
    await listener.close();
    now = new Date(now.getTime() + 2 * DAY_MS);
    listener = await startMllpListener({
      db: hub.db,
      logger: memoryLogger().logger,
      port: 0,
      host: '127.0.0.1',
      tls,
      clock: () => now,
      duplicateRetentionDays: 3,
    });
    sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
    expect(await keysOf('SHORT-1')).toBe(0);
  });
});

describe('an event dated ahead of the hub clock', () => {
  it('is refused (AR 102) and changes nothing, and the true events after it are applied', async () => {
    const before = await storeMark();
    // The engine's year is wrong by one: 2027 instead of 2026 (the hub's clock is in March 2026).
    const typo = await sender!.send(
      message({ event: 'A08', at: '20270320080000', mrn: 'MRN7700001', family: 'Futurova', controlId: 'FUTURE-1' }, '20270320080000'),
    );
    expect(typo, typo.raw).toMatchObject({ code: 'AR', condition: '102' });
    expect(typo.text).toMatch(/ahead of the hub's clock/);
    expect(await storeMark()).toBe(before);
    expect(await keysOf('FUTURE-1')).toBe(0);
    const hubNow = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const next = await sender!.send(
      message({ event: 'A08', at: hubNow, mrn: 'MRN7700001', family: 'Presentova', controlId: 'NOW-1' }, hubNow),
    );
    expect(next.code).toBe('AA');
    const transfer = await sender!.send(
      message({ event: 'A02', at: hubNow, mrn: 'MRN7700001', location: 'a^7^1', visit: 'V7700001', controlId: 'NOW-2' }, hubNow),
    );
    expect(transfer, transfer.raw).toMatchObject({ code: 'AA' });
  });
});

describe('a sender without the feed credential', () => {
  it('is refused for that (AR, 207) before anything else in its message is read, and nothing changes', async () => {
    const before = await storeMark();
    const broken = [
      // A date the hub refuses, an event it does not handle, a required field missing, not ADT at all.
      message(
        { event: 'A01', at: '2026-03-20', mrn: 'MRN7700002', location: 'a^6^1', visit: 'V7700002', controlId: 'X-1', secret: 'guess' },
        '20260320080000',
      ),
      message(
        { event: 'A05', mrn: 'MRN7700002', location: 'a^6^1', visit: 'V7700002', controlId: 'X-2', secret: 'guess' },
        '20260320080000',
      ),
      message({ event: 'A01', mrn: 'MRN7700002', location: 'a^6^1', controlId: 'X-3', secret: '' }, '20260320080000'),
      message({ event: 'A08', mrn: 'MRN7700002', controlId: 'X-4', secret: 'guess' }, '20260320080000').replace(
        'ADT^A08^ADT_A01',
        'ORU^R01',
      ),
    ];
    for (const text of broken) {
      const ack = await sender!.send(text);
      expect(ack, ack.raw).toMatchObject({ code: 'AR', condition: '207' });
      expect(ack.text).toMatch(/secret \(MSH-8\)/);
    }
    expect(await storeMark()).toBe(before);
  });
});
