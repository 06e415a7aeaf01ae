import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryResourceSpans, isKnownFreeOfControlCharacters, noteBodySource, receivedTextOf } from './body-source.js';
import { validatedBody } from './resource-body.js';

/** Every control character FHIR strings may not hold: U+0000–U+001F except tab, LF and CR. */
const FORBIDDEN = Array.from({ length: 0x20 }, (_, code) => code).filter((code) => ![0x09, 0x0a, 0x0d].includes(code));

const auditEvent = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  resourceType: 'AuditEvent',
  id: 'ae-1',
  type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
  recorded: '2026-03-02T09:15:00.000Z',
  agent: [{ who: { display: 'Wardline' }, requestor: false }],
  source: { observer: { display: 'Wardline' } },
  ...extra,
});

const uploadBatch = (resources: unknown[]): Record<string, unknown> => ({
  resourceType: 'Bundle',
  type: 'batch',
  entry: resources.map((resource, i) => ({ resource, request: { method: 'PUT', url: `AuditEvent/ae-${i}` } })),
});

/** Parses `text` as the FHIR routes do and notes what its text tells. */
function received(text: string): { resourceType?: unknown; entry: { resource: Record<string, unknown> }[] } {
  const body = JSON.parse(text) as { entry: { resource: Record<string, unknown> }[] };
  noteBodySource(body, text);
  return body;
}

function holdsForbidden(value: unknown): boolean {
  if (typeof value === 'string') return FORBIDDEN.some((code) => value.includes(String.fromCharCode(code)));
  if (Array.isArray(value)) return value.some(holdsForbidden);
  if (typeof value === 'object' && value !== null) return Object.entries(value).some(([k, v]) => holdsForbidden(k) || holdsForbidden(v));
  return false;
}

describe('what the received text of a body tells the hub', () => {
  it.each(FORBIDDEN)('still refuses code %i sent escaped in a batch entry, in a value or a key', (code) => {
    const char = String.fromCharCode(code);
    for (const resource of [auditEvent({ outcomeDesc: `a${char}b` }), auditEvent({ [`x${char}`]: 'y' })]) {
      const body = received(JSON.stringify(uploadBatch([resource])));
      expect(isKnownFreeOfControlCharacters(body.entry[0]!.resource)).toBe(false);
      expect(() => validatedBody(body.entry[0]!.resource, 'AuditEvent')).toThrow(
        expect.objectContaining({ status: 422, code: 'INVALID_RESOURCE' }),
      );
    }
  });

  it('knows a body whose escapes make no control character holds none (an escaped backslash before "u" is no \\u escape)', () => {
    const plain = received(JSON.stringify(uploadBatch([auditEvent()])));
    expect(isKnownFreeOfControlCharacters(plain)).toBe(true);
    expect(isKnownFreeOfControlCharacters(plain.entry[0]!.resource)).toBe(true);
    const escapes = received(JSON.stringify(uploadBatch([auditEvent({ outcomeDesc: 'C:\\users "b" \\f\t' })])));
    expect(isKnownFreeOfControlCharacters(escapes.entry[0]!.resource)).toBe(true);
    expect(validatedBody(escapes.entry[0]!.resource, 'AuditEvent')).toMatchObject({ outcomeDesc: 'C:\\users "b" \\f\t' });
    const unicode = received(JSON.stringify(uploadBatch([auditEvent()])).replace('Wardline', 'Wardl\\u0069ne'));
    expect(isKnownFreeOfControlCharacters(unicode.entry[0]!.resource)).toBe(false);
  });

  it('keeps the received text of each uploaded AuditEvent: spacing as sent, the same JSON', () => {
    const text = JSON.stringify(uploadBatch([auditEvent({ id: 'ae-0' }), auditEvent({ id: 'ae-1', outcomeDesc: 'q"}\\' })]), null, 2);
    const body = received(text);
    for (const { resource } of body.entry) {
      const kept = receivedTextOf(resource)!;
      expect(text).toContain(kept);
      expect(JSON.parse(kept)).toEqual(resource);
    }
    expect(receivedTextOf(body.entry[0]!.resource)).toMatch(/^\{\n {8}"resourceType": "AuditEvent"/);
  });

  it('keeps no text for a Bundle that is not an audit upload', () => {
    const body = received(
      JSON.stringify({
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [{ resource: auditEvent(), request: { method: 'PUT', url: 'AuditEvent/ae-1' } }],
      }),
    );
    expect(receivedTextOf(body.entry[0]!.resource)).toBeUndefined();
  });

  it('reads a member given twice as JSON.parse does: the last one', () => {
    const text =
      '{"resourceType":"Bundle","type":"batch","entry":[{"request":{"url":"x"}}],' +
      '"entry":[{"resource":{"id":"first"},"request":{"method":"PUT","url":"AuditEvent/a"},"resource":{"id":"last"}}]}';
    const body = received(text);
    expect(body.entry[0]!.resource).toEqual({ id: 'last' });
    expect(receivedTextOf(body.entry[0]!.resource)).toBe('{"id":"last"}');
    expect(entryResourceSpans('{"entry":[{"resource":{}}],"entry":{}}')).toBeNull();
    const escapedNames = '{"entr\\u0079":[{"res\\u006furce":{"a":1}}]}';
    const [span] = entryResourceSpans(escapedNames)!;
    expect(escapedNames.slice(span![0], span![1])).toBe('{"a":1}');
  });

  it('splits any Bundle text exactly as JSON.parse reads it, and never calls a body with a control character clean', () => {
    const member = fc.oneof(fc.constantFrom('resource', 'request', 'entry', 'res\\u006furce'), fc.string());
    const entry = fc.dictionary(member, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    const spacing = fc.constantFrom(undefined, 1, '\t', ' \r\n');
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), spacing, (entries, other, space) => {
        const bundle = { resourceType: 'Bundle', type: 'batch', other, entry: entries };
        const text = JSON.stringify(bundle, null, space as string | number | undefined);
        const parsed = JSON.parse(text) as { entry: Record<string, unknown>[] };
        const spans = entryResourceSpans(text)!;
        expect(spans).toHaveLength(parsed.entry.length);
        parsed.entry.forEach((e, i) => {
          const resource = e.resource;
          const isObject = typeof resource === 'object' && resource !== null && !Array.isArray(resource);
          const span = spans[i];
          expect(span === null ? undefined : JSON.parse(text.slice(span![0], span![1]))).toEqual(isObject ? resource : undefined);
        });
        noteBodySource(parsed, text);
        if (isKnownFreeOfControlCharacters(parsed)) expect(holdsForbidden(parsed)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
