// A hub with the ADT feed as the MLLP tests drive it: a generated ward `a`, a feed named `ehr`
// (EHR at GENERAL) and its secret, the MLLP listener with TLS, a third-party HL7 client
// (node-hl7-client) connected to it, and a device of ward `a` that reads the result over HTTPS.
import type { Bundle, Encounter } from '../../shared/fhir/index.js';
import { addFeed, startMllpListener } from '../../server/integration/index.js';
import { createDevCertificate } from '../../server/tls/index.js';
import { memoryLogger, seedGeneratedWard } from '../sync/sync-test-kit.js';
import { startHub, type TestDevice, type TestHub } from './hub-harness.js';
import { adtMessage, openHl7Sender, type AdtFields, type Hl7Ack } from './hl7-sender.js';

/** An ADT message's fields, without the feed's secret and the control id the test hub adds. */
export type AdtSendFields = Omit<AdtFields, 'secret' | 'controlId'>;

export interface AdtTestHub {
  readonly hub: TestHub;
  readonly device: TestDevice;
  /** Sends one message with the feed's secret and the next control id (`{prefix}{n}`); its ACK. */
  send(fields: AdtSendFields): Promise<Hl7Ack>;
  /** Ward `a`'s census as its device reads it: the MRN of each in-progress Encounter's patient, one per Encounter, sorted. */
  censusMrns(): Promise<string[]>;
  /** The store's history as "rows/top sequence": unchanged when a message changed nothing. */
  storeMark(): Promise<string>;
  close(): Promise<void>;
}

export async function startAdtTestHub(options: { seed: string; patients: number; controlPrefix: string }): Promise<AdtTestHub> {
  const hub = await startHub({ engine: 'sqlite' });
  await seedGeneratedWard(hub.db, 'a', { seed: options.seed, patients: options.patients, days: 1 });
  const { secret } = await addFeed(hub.db, { name: 'ehr', application: 'EHR', facility: 'GENERAL' }, new Date());
  const tls = createDevCertificate();
  const listener = await startMllpListener({ db: hub.db, logger: memoryLogger().logger, port: 0, host: '127.0.0.1', tls });
  const sender = await openHl7Sender({ port: listener.port, caPem: tls.certPem });
  const device = await hub.enrollDevice('a');
  let sequence = 0;
  return {
    hub,
    device,
    send: (fields) => sender.send(adtMessage({ secret, controlId: `${options.controlPrefix}${++sequence}`, ...fields })),
    async censusMrns() {
      const res = await device.fetch('/fhir/Encounter?location=Location/ward-a&status=in-progress&_include=Encounter:patient&_count=200');
      if (res.status !== 200) throw new Error(`census read failed: HTTP ${res.status}`);
      const resources = ((await res.json()) as Bundle).entry?.map((entry) => entry.resource!) ?? [];
      const mrnOf = new Map(
        resources
          .filter((r) => r.resourceType === 'Patient')
          .map((p) => [
            `Patient/${p.id}`,
            (p as { identifier?: { system?: string; value?: string }[] }).identifier?.find((i) => i.system === 'urn:wardline:mrn')?.value,
          ]),
      );
      return resources
        .filter((r): r is Encounter => r.resourceType === 'Encounter')
        .map((e) => mrnOf.get(e.subject?.reference ?? '') ?? '?')
        .sort();
    },
    async storeMark() {
      const rows = await hub.db.query<{ n: number; top: number | null }>('SELECT COUNT(*) AS n, MAX(seq) AS top FROM fhir_versions');
      return `${rows[0]!.n}/${rows[0]!.top}`;
    },
    async close() {
      await sender.close();
      await listener.close();
      await hub.stop();
    },
  };
}
