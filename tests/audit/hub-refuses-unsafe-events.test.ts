// What an enrolled workstation (or whoever holds its key) can make the hub keep as audit evidence,
// through the hub's FHIR API: the hub stores the event it validated, never the text it was sent; it
// refuses an event nested deeper than any reader can follow, members outside the AuditEvent shape a
// workstation writes, and displays other than the ones it writes (a patient's name has no place in a
// stored event).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestAuditChain } from '../support/audit-chain.js';
import { startHub, type TestDevice, type TestHub } from '../support/hub-harness.js';

let hub: TestHub;

beforeAll(async () => {
  hub = await startHub({ engine: 'sqlite' });
});
afterAll(async () => {
  await hub?.stop();
});

interface BatchAnswer {
  readonly status: number;
  readonly entries: { status: string; code?: string; diagnostics?: string }[];
}

/** POSTs `text` as a batch Bundle of the given events' texts (each `PUT AuditEvent/{id}`). */
async function sendBatch(device: TestDevice, events: readonly { id: string; text: string }[]): Promise<BatchAnswer> {
  const entries = events.map(({ id, text }) => `{"request":{"method":"PUT","url":"AuditEvent/${id}"},"resource":${text}}`);
  const response = await device.fetch('/fhir', { body: `{"resourceType":"Bundle","type":"batch","entry":[${entries.join(',')}]}` });
  const body = (await response.json()) as {
    entry?: { response: { status: string; outcome?: { issue: { details?: { coding?: { code: string }[] }; diagnostics?: string }[] } } }[];
  };
  return {
    status: response.status,
    entries: (body.entry ?? []).map(({ response: r }) => ({
      status: r.status.split(' ')[0]!,
      ...(r.outcome?.issue[0]?.details?.coding?.[0]?.code ? { code: r.outcome.issue[0].details.coding[0].code } : {}),
      ...(r.outcome?.issue[0]?.diagnostics ? { diagnostics: r.outcome.issue[0].diagnostics } : {}),
    })),
  };
}

async function storedTexts(deviceId: string): Promise<string[]> {
  const rows = await hub.db.query<{ resource: string }>('SELECT resource FROM audit_events WHERE device_id = $1 ORDER BY sequence', [
    deviceId,
  ]);
  return rows.map((row) => row.resource);
}

describe('the hub keeps the AuditEvent it validated, not the text it was sent', () => {
  it('stores one copy of each member, in normal form, whatever the text repeated or how it spelled it', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new TestAuditChain(device.clientId);
    const event = chain.event(1);
    // The text repeats members first with forged content (JSON.parse keeps the last copy), spells a
    // name with escapes and adds spacing.
    const genuine = JSON.stringify(event, null, 2).slice(1);
    const text =
      '{"agent":[{"who":{"display":"pt-DECOY"},"requestor":true}],"resourceType":"Patient",\n' + '  "\\u0061ction" : "D",' + genuine;
    const answer = await sendBatch(device, [{ id: event.id, text }]);
    expect(answer).toMatchObject({ status: 200, entries: [{ status: '201' }] });
    const [stored] = await storedTexts(device.clientId);
    expect(stored).toBe(JSON.stringify(JSON.parse(text)));
    expect(stored).not.toContain('pt-DECOY');
    expect(stored).not.toContain('Patient"');
    // A reader that takes the first copy of a member (SQLite's json_extract) reads the genuine event.
    const [row] = await hub.db.query<{ type: string; action: string }>(
      `SELECT json_extract(resource, '$.resourceType') AS type, json_extract(resource, '$.action') AS action
       FROM audit_events WHERE device_id = $1`,
      [device.clientId],
    );
    expect(row).toEqual({ type: 'AuditEvent', action: 'E' });
  });
});

describe('the hub refuses an AuditEvent nested deeper than a reader can follow', () => {
  it('answers 422 with an OperationOutcome, stores nothing of it, and answers the same to a re-send', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new TestAuditChain(device.clientId);
    const first = chain.event(1);
    const deep = chain.event(2);
    // ~40 KB: far within the body limit, far beyond what any reader's stack follows.
    const nested = '['.repeat(20_000) + '"x"' + ']'.repeat(20_000);
    const texts = [
      { id: first.id, text: JSON.stringify(first) },
      { id: deep.id, text: JSON.stringify(deep).replace(/^\{/, `{"note":${nested},`) },
    ];
    for (const attempt of [1, 2]) {
      const answer = await sendBatch(device, texts);
      expect(answer.status, `attempt ${attempt}`).toBe(200);
      expect(answer.entries[1]).toMatchObject({ status: '422', code: 'INVALID_RESOURCE' });
      expect(answer.entries[1]!.diagnostics).toMatch(/nested deeper than 64/);
    }
    // The batch's other entry stands alone (batch semantics); the deep one left nothing behind.
    expect((await storedTexts(device.clientId)).map((text) => (JSON.parse(text) as { id: string }).id)).toEqual([first.id]);
    const single = await device.fetch(`/fhir/AuditEvent/${deep.id}`, { method: 'PUT', body: texts[1]!.text });
    expect(single.status).toBe(422);
    expect(await single.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(await storedTexts(device.clientId)).toHaveLength(1);
  });
});

describe('the hub refuses members outside the AuditEvent a workstation writes', () => {
  it('answers 422 for a name or any other unknown member, top-level or nested, and stores nothing of it', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new TestAuditChain(device.clientId);
    const genuine = chain.event(1);
    const withName = (event: ReturnType<TestAuditChain['event']>) => [
      { ...event, name: [{ family: 'Doe', given: ['Jane'] }] },
      { ...event, agent: event.agent.map((agent, i) => (i === 0 ? { ...agent, name: 'Jane Doe' } : agent)) },
      { ...event, entity: [{ what: { reference: 'Patient/p-1' }, detail: [{ type: 'name', valueString: 'Jane Doe' }] }] },
      { ...event, source: { ...event.source, observer: { ...event.source.observer, note: 'x' } } },
    ];
    for (const resource of withName(chain.event(2))) {
      const answer = await sendBatch(device, [
        { id: genuine.id, text: JSON.stringify(genuine) },
        { id: resource.id, text: JSON.stringify(resource) },
      ]);
      expect(answer.entries[0]!.status).toMatch(/^20[01]$/);
      expect(answer.entries[1]).toMatchObject({ status: '422', code: 'AUDIT_EVENT_INVALID' });
      expect(answer.entries[1]!.diagnostics).not.toContain('Doe');
    }
    const stored = await storedTexts(device.clientId);
    expect(stored).toEqual([JSON.stringify(genuine)]);
    // The genuine event, sent alone afterwards, is still taken.
    const next = chain.event(2);
    expect(await sendBatch(device, [{ id: next.id, text: JSON.stringify(next) }])).toMatchObject({ entries: [{ status: '201' }] });
  });
});

describe('the hub refuses a display that is not the one a workstation writes', () => {
  it('answers 422 for a coding display not of its code and for an agent, observer or entity display that is not a fixed label, and stores nothing of it', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new TestAuditChain(device.clientId);
    const genuine = chain.event(1);
    // Sent as the workstation sends it: the code's own display.
    expect(genuine.type.display).toBe('User Authentication');
    expect(await sendBatch(device, [{ id: genuine.id, text: JSON.stringify(genuine) }])).toMatchObject({ entries: [{ status: '201' }] });
    const event = chain.event(2);
    const withText = [
      { ...event, type: { ...event.type, display: 'Doe, Jane (MRN 4711)' } },
      { ...event, type: { ...event.type, display: 'Login' } },
      { ...event, agent: event.agent.map((agent) => ({ ...agent, who: { ...agent.who, display: 'Jane Doe' } })) },
      { ...event, source: { observer: { ...event.source.observer, display: 'Doe, Jane' } } },
      { ...event, entity: [{ what: { reference: 'Patient/p-1', display: 'Doe, Jane' } }] },
    ];
    for (const resource of withText) {
      const answer = await sendBatch(device, [{ id: resource.id, text: JSON.stringify(resource) }]);
      expect(answer.entries[0]).toMatchObject({ status: '422', code: 'AUDIT_EVENT_INVALID' });
      expect(answer.entries[0]!.diagnostics).toMatch(/display/);
      expect(answer.entries[0]!.diagnostics).not.toContain('Doe');
    }
    expect(await storedTexts(device.clientId)).toEqual([JSON.stringify(genuine)]);
    // The same event with the displays a workstation writes is taken.
    expect(await sendBatch(device, [{ id: event.id, text: JSON.stringify(event) }])).toMatchObject({ entries: [{ status: '201' }] });
  });
});

describe('the hub refuses a name carried in a code, outcomeDesc, the site, an altId, an identifier or a reference', () => {
  it('answers 422 without echoing the value, stores nothing of it, and takes the same events as a workstation writes them', async () => {
    const device = await hub.enrollDevice('a');
    const chain = new TestAuditChain(device.clientId);
    chain.define(3, { action: 'sign-in-failed', user: null, outcome: 'minor-failure', detail: { reason: 'wrong credentials' } });
    const genuine = chain.event(1);
    expect(await sendBatch(device, [{ id: genuine.id, text: JSON.stringify(genuine) }])).toMatchObject({ entries: [{ status: '201' }] });
    const event = chain.event(2);
    const failed = chain.event(3);
    const [deviceAgent, userAgent] = event.agent;
    const withName = [
      { ...event, type: { system: 'urn:x', code: 'Doe,Jane' } },
      { ...event, type: { ...event.type, code: 'Doe,Jane', display: undefined } },
      { ...event, outcomeDesc: 'Jane Doe MRN 4711' },
      { ...event, source: { ...event.source, site: 'Jane Doe' } },
      { ...event, agent: [deviceAgent, { ...userAgent, altId: 'Jane Doe' }] },
      { ...event, agent: [deviceAgent, { ...userAgent, who: { identifier: { ...userAgent!.who.identifier, value: 'Doe, Jane' } } }] },
      { ...event, entity: [{ what: { reference: 'Patient/Jane Doe' } }] },
      // A failure's outcomeDesc is its hashed entry's reason, nothing else.
      { ...failed, outcomeDesc: 'Jane Doe MRN 4711' },
    ];
    for (const resource of withName) {
      const answer = await sendBatch(device, [{ id: resource.id, text: JSON.stringify(resource) }]);
      expect(answer.entries[0], JSON.stringify(resource)).toMatchObject({ status: '422', code: 'AUDIT_EVENT_INVALID' });
      expect(answer.entries[0]!.diagnostics).not.toMatch(/Doe|Jane|4711/);
    }
    expect(await storedTexts(device.clientId)).toEqual([JSON.stringify(genuine)]);
    // As a workstation writes them (the site, a session id, the failure's own reason), both are taken.
    const written = [
      { ...event, source: { ...event.source, site: 'Wardline' }, agent: [deviceAgent, { ...userAgent, altId: randomUUID() }] },
      { ...failed, outcomeDesc: 'wrong credentials' },
    ];
    const answer = await sendBatch(
      device,
      written.map((resource) => ({ id: resource.id, text: JSON.stringify(resource) })),
    );
    expect(answer.entries).toMatchObject([{ status: '201' }, { status: '201' }]);
    expect(await storedTexts(device.clientId)).toHaveLength(3);
  });
});
