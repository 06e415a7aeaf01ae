// Reading a Bundle page from its text one entry at a time gives what reading the parsed page gives,
// hands on each resource's text exactly as the hub sent it, and refuses any text that is not JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateWard } from '../../shared/synthetic/index.js';
import { readBundlePage, readBundleText, type IncomingVersion } from './bundle-reading.js';
import { forEachMember, parseRange, valueEnd } from './json-members.js';
import { isSyncError } from './sync-error.js';

const resources = generateWard({ seed: 'bundle-text', patients: 2, days: 2 }).resources.slice(0, 60);

function searchPage(): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    meta: { lastUpdated: '2026-03-01T10:00:00.000Z' },
    link: [
      { relation: 'self', url: 'https://hub.test/fhir/Patient/p1/$everything' },
      { relation: 'next', url: 'https://hub.test/fhir/Patient/p1/$everything?_page=2' },
    ],
    entry: resources.map((resource, i) => ({
      fullUrl: `https://hub.test/fhir/${resource.resourceType}/${resource.id}`,
      resource: { ...resource, meta: { versionId: String(i + 1), lastUpdated: '2026-03-01T09:00:00.000Z' } },
      search: { mode: i === 0 ? 'include' : 'match' },
    })),
  };
}

function readText(text: string): { page: ReturnType<typeof readBundleText<IncomingVersion>>; texts: Array<string | null> } {
  const texts: Array<string | null> = [];
  const page = readBundleText(text, 'searchset', (version, json) => {
    texts.push(json === null ? null : json.toString('utf8'));
    return version;
  });
  return { page, texts };
}

function refusal(text: string): unknown {
  try {
    readText(text);
  } catch (error) {
    return error;
  }
  return null;
}

describe('reading a Bundle page from its text', () => {
  it('gives the versions, hub time and next link that the parsed page gives', () => {
    const body = searchPage();
    for (const text of [JSON.stringify(body), JSON.stringify(body, null, 2)]) {
      const { page } = readText(text);
      const parsed = readBundlePage(JSON.parse(text), 'searchset');
      expect(page.items).toEqual(parsed.versions);
      expect(page).toMatchObject({ lastUpdated: parsed.lastUpdated, next: parsed.next, size: parsed.size });
      expect(page.size).toBe(resources.length);
    }
  });

  it("hands on each resource's text as the hub sent it, which parses to that resource", () => {
    const text = JSON.stringify(searchPage(), null, 1);
    const { page, texts } = readText(text);
    texts.forEach((json, i) => {
      expect(text.includes(json!)).toBe(true);
      expect(JSON.parse(json!)).toEqual(page.items[i]!.resource);
    });
  });

  it('reads deletions in a history page, with no resource text', () => {
    const text = JSON.stringify({
      resourceType: 'Bundle',
      type: 'history',
      meta: { lastUpdated: '2026-03-01T10:00:00.000Z' },
      entry: [{ request: { method: 'DELETE', url: 'Observation/o-1' }, response: { status: '204', etag: 'W/"3"' } }],
    });
    const seen: Array<[IncomingVersion, Buffer | null]> = [];
    const page = readBundleText(text, 'history', (version, json) => seen.push([version, json]));
    expect(page.size).toBe(1);
    expect(seen).toEqual([[{ type: 'Observation', id: 'o-1', version: 3, resource: null, mode: 'history' }, null]]);
  });

  it('refuses a page cut short, with text after it, or with broken JSON anywhere, as HUB_ANSWER_INVALID (retried)', () => {
    const text = JSON.stringify(searchPage());
    const broken = [
      text.slice(0, text.length - 1),
      text.slice(0, Math.floor(text.length / 2)),
      `${text} {}`,
      text.replace('"type":"searchset"', '"type":"searchset",'),
      text.replace('"search":{"mode":"match"}', '"search":{"mode":"match",}'),
      text.replace('"relation":"self"', '"relation" "self"'),
      text.replace('"versionId":"2"', '"versionId":tru'),
      text.replace('"link":[', '"link":[01,'),
      // Control characters must be escaped in JSON strings, keys and values alike; escapes must be JSON's.
      text.replace('"relation":"self"', '"relation":"se\tlf"'),
      text.replace('"relation":"self"', '"rela\ntion":"self"'),
      text.replace('"fullUrl":"https://hub.test/', '"fullUrl":"https://hub.test/\u0001'),
      text.replace('"relation":"self"', '"relation":"se\\xlf"'),
      '',
      'Service Unavailable',
    ];
    for (const bad of broken) expect(isSyncError(refusal(bad), 'HUB_ANSWER_INVALID')).toBe(true);
  });

  it('refuses well-formed JSON that is not a readable page as HUB_ANSWER_MALFORMED (not retried at once)', () => {
    const page = searchPage();
    const text = JSON.stringify(page);
    const misshapen = [
      '[]',
      '{}',
      text.replace('"type":"searchset"', '"type":"history"'),
      JSON.stringify({ ...page, meta: {} }),
      JSON.stringify({ ...page, entry: [{ resource: { resourceType: 'Observation' } }] }),
      JSON.stringify({ ...page, entry: ['an entry'] }),
    ];
    for (const bad of misshapen) expect(isSyncError(refusal(bad), 'HUB_ANSWER_MALFORMED'), bad).toBe(true);
  });

  it('walks the members of any JSON object as JSON.parse reads them', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue()), fc.boolean(), (object, pretty) => {
        const text = pretty ? JSON.stringify(object, null, 2) : JSON.stringify(object);
        const bytes = Buffer.from(text, 'utf8');
        const members: Array<[string, unknown]> = [];
        const end = forEachMember(bytes, 0, (key, start, stop) => members.push([key, JSON.parse(bytes.toString('utf8', start, stop))]));
        expect(end).toBe(bytes.length);
        expect(members).toEqual(Object.entries(JSON.parse(text) as object));
      }),
    );
  });

  it('reads any JSON value, strings with escapes and non-ASCII text included, as JSON.parse reads it', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.jsonValue()), (value) => {
        const bytes = Buffer.from(JSON.stringify(value), 'utf8');
        expect(valueEnd(bytes, 0)).toBe(bytes.length);
        expect(parseRange(bytes, 0, bytes.length)).toEqual(JSON.parse(bytes.toString('utf8')));
      }),
      { seed: 15, numRuns: 500 },
    );
  });
});
