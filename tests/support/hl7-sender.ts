// An HL7 v2 sender the team did not write: node-hl7-client (v3) over MLLP, with TLS trusting the
// hub's certificate, waiting for each ACK before the next message as an interface engine does in
// original acknowledgement mode. (node-hl7-client re-queues a message sent while an ACK is awaited
// and can spin on it, so `send` resolves only with the ACK.) Plus `adtMessage`, which writes the
// synthetic ADT messages the tests send.
import { Client, Message, type Connection } from 'node-hl7-client';

export interface Hl7Ack {
  /** MSA-1: AA, AE or AR. */
  readonly code: string;
  /** MSA-2: the control id acknowledged. */
  readonly controlId: string;
  /** MSA-3. */
  readonly text: string;
  /** ERR-3.1 (HL7 table 0357), '' when none. */
  readonly condition: string;
  readonly raw: string;
}

export interface Hl7Sender {
  send(text: string): Promise<Hl7Ack>;
  close(): Promise<void>;
}

export async function openHl7Sender(options: { port: number; caPem?: string }): Promise<Hl7Sender> {
  const client = new Client({ host: '127.0.0.1', ...(options.caPem ? { tls: { ca: options.caPem } } : {}) });
  let waiting: ((ack: Hl7Ack) => void) | null = null;
  const connection: Connection = client.createConnection({ port: options.port, waitAck: true }, async (response) => {
    const message = response.getMessage();
    const ack: Hl7Ack = {
      code: message.get('MSA.1').toString(),
      controlId: message.get('MSA.2').toString(),
      text: message.get('MSA.3').toString(),
      condition: message.toString().includes('\rERR') ? message.get('ERR.3.1').toString() : '',
      raw: message.toString(),
    };
    const resolve = waiting;
    waiting = null;
    resolve?.(ack);
  });
  await new Promise<void>((resolve, reject) => {
    connection.once('connect', () => resolve());
    connection.once('client.error', reject);
  });
  let chain: Promise<unknown> = Promise.resolve();
  return {
    send(text) {
      const next = chain.then(
        () =>
          new Promise<Hl7Ack>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('no ACK within 20 s')), 20_000);
            waiting = (ack) => {
              clearTimeout(timer);
              resolve(ack);
            };
            connection.sendMessage(new Message({ text: text.replace(/\n/g, '\r') })).catch(reject);
          }),
      );
      chain = next.catch(() => undefined);
      return next;
    },
    async close() {
      await connection.close();
      client.closeAll();
    },
  };
}

export interface AdtFields {
  readonly secret: string;
  readonly controlId: string;
  readonly event: 'A01' | 'A02' | 'A03' | 'A04' | 'A05' | 'A08' | 'A11' | 'A12' | 'A13' | 'A40';
  /** HL7 DTM of the event (EVN-2), e.g. 20260115081500. */
  readonly at: string;
  readonly mrn: string;
  readonly family?: string;
  readonly given?: string;
  readonly birthDate?: string;
  readonly sex?: string;
  /** PV1-3: ward^room^bed. */
  readonly location?: string;
  readonly visit?: string;
  readonly priorMrn?: string;
  readonly application?: string;
  readonly facility?: string;
}

/** An ADT message (v2.5) as an EHR's interface engine sends it; segments separated by \n here. */
export function adtMessage(f: AdtFields): string {
  const structure = f.event === 'A40' ? 'ADT_A39' : f.event === 'A08' || f.event === 'A13' ? 'ADT_A01' : `ADT_${f.event}`;
  const lines = [
    `MSH|^~\\&|${f.application ?? 'EHR'}|${f.facility ?? 'GENERAL'}|WARDLINE|HUB|${f.at}|${f.secret}|ADT^${f.event}^${structure}|${f.controlId}|P|2.5`,
    `EVN|${f.event}|${f.at}`,
    `PID|1||${f.mrn}^^^GENERAL^MR||${f.family ?? 'Testperson'}^${f.given ?? 'Alex'}||${f.birthDate ?? '19500101'}|${f.sex ?? 'U'}`,
  ];
  if (f.priorMrn) lines.push(`MRG|${f.priorMrn}^^^GENERAL^MR`);
  if (f.visit) lines.push(`PV1|1|I|${f.location ?? ''}||||||||||||||||${f.visit}`);
  return lines.join('\n');
}
