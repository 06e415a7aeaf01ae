import { describe, expect, it } from 'vitest';
import type { Resource } from '../../../shared/fhir/index.js';
import { UpstreamClient } from './upstream-client.js';
import { UpstreamError } from './upstream-error.js';
import type { UpstreamHttp, UpstreamHttpResponse } from './upstream-http.js';

const BASE = 'https://ehr.example/fhir/R4';

function searchset(ids: readonly string[], next?: string): UpstreamHttpResponse {
  const bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    entry: ids.map((id) => ({ resource: { resourceType: 'Patient', id }, search: { mode: 'match' } })),
    ...(next === undefined ? {} : { link: [{ relation: 'next', url: next }] }),
  };
  return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(bundle)) };
}

/** An upstream whose answers are given per URL; records the order of requests. */
function fakeUpstream(answers: Record<string, UpstreamHttpResponse>): { http: UpstreamHttp; requested: string[] } {
  const requested: string[] = [];
  return {
    requested,
    http: {
      send(url) {
        requested.push(url);
        const answer = answers[url];
        return answer ? Promise.resolve(answer) : Promise.reject(new UpstreamError('UNAVAILABLE', 'gone'));
      },
      close() {},
    },
  };
}

function clientOf(http: UpstreamHttp): UpstreamClient {
  return new UpstreamClient({
    http,
    tokens: { accessToken: () => Promise.resolve('token'), invalidate: () => undefined },
    baseUrl: BASE,
    sleep: () => Promise.resolve(),
  });
}

describe('an upstream search', () => {
  it('hands pages over in order, one at a time, following next links', async () => {
    const { http } = fakeUpstream({
      [`${BASE}/Patient?_count=2`]: searchset(['a', 'b'], `${BASE}/Patient?_count=2&page=2`),
      [`${BASE}/Patient?_count=2&page=2`]: searchset(['c', 'd'], `${BASE}/Patient?_count=2&page=3`),
      [`${BASE}/Patient?_count=2&page=3`]: searchset(['e']),
    });
    const handled: string[][] = [];
    let inside = 0;
    await clientOf(http).search('Patient?_count=2', async (page: Resource[]) => {
      inside++;
      expect(inside).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 5));
      handled.push(page.map((r) => r.id ?? ''));
      inside--;
    });
    expect(handled).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('writes the page before a failed next page ends the search, so the cursor covers what was written', async () => {
    const { http } = fakeUpstream({ [`${BASE}/Patient?_count=2`]: searchset(['a', 'b'], `${BASE}/Patient?_count=2&page=2`) });
    const handled: string[][] = [];
    await expect(
      clientOf(http).search('Patient?_count=2', async (page) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        handled.push(page.map((r) => r.id ?? ''));
      }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(handled).toEqual([['a', 'b']]);
  });

  it('asks for the next page before the page in hand is written, and for the next search first page after a last page', async () => {
    const { http, requested } = fakeUpstream({
      [`${BASE}/Patient?_count=2`]: searchset(['a', 'b'], `${BASE}/Patient?_count=2&page=2`),
      [`${BASE}/Patient?_count=2&page=2`]: searchset(['c']),
      [`${BASE}/Flag?_count=2`]: searchset(['f']),
    });
    const askedWhenWriting: number[] = [];
    const handled: string[][] = [];
    await clientOf(http).searchAll(['Patient?_count=2', 'Flag?_count=2'], async (page) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      askedWhenWriting.push(requested.length);
      handled.push(page.map((r) => r.id ?? ''));
    });
    expect(handled).toEqual([['a', 'b'], ['c'], ['f']]);
    // Page 1 is written while page 2 is asked for; page 2 while the next search's first page is.
    expect(askedWhenWriting).toEqual([2, 3, 3]);
    expect(requested).toEqual([`${BASE}/Patient?_count=2`, `${BASE}/Patient?_count=2&page=2`, `${BASE}/Flag?_count=2`]);
  });

  it('ends with the write failure when a page cannot be written, the page asked ahead left unread', async () => {
    // The page ahead fails too (the upstream is gone): that failure is nobody's to handle.
    const { http } = fakeUpstream({ [`${BASE}/Patient?_count=2`]: searchset(['a', 'b'], `${BASE}/Patient?_count=2&page=2`) });
    const written = new Error('the lease was taken over');
    await expect(
      clientOf(http).search('Patient?_count=2', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        throw written;
      }),
    ).rejects.toBe(written);
  });

  it('runs two searches side by side when asked: each one in order, one page written at a time, all of them', async () => {
    const { http, requested } = fakeUpstream({
      [`${BASE}/Observation?_count=2`]: searchset(['o1', 'o2'], `${BASE}/Observation?_count=2&page=2`),
      [`${BASE}/Observation?_count=2&page=2`]: searchset(['o3']),
      [`${BASE}/Flag?_count=2`]: searchset(['f1', 'f2'], `${BASE}/Flag?_count=2&page=2`),
      [`${BASE}/Flag?_count=2&page=2`]: searchset(['f3']),
      [`${BASE}/Condition?_count=2`]: searchset(['c1']),
    });
    const handled: string[] = [];
    const askedAtFirstWrite: string[] = [];
    let inside = 0;
    await clientOf(http).searchAll(
      ['Observation?_count=2', 'Flag?_count=2', 'Condition?_count=2'],
      async (page) => {
        inside++;
        expect(inside).toBe(1);
        if (handled.length === 0) askedAtFirstWrite.push(...requested);
        await new Promise((resolve) => setTimeout(resolve, 5));
        handled.push(...page.map((r) => r.id ?? ''));
        inside--;
      },
      2,
    );
    expect([...handled].sort()).toEqual(['c1', 'f1', 'f2', 'f3', 'o1', 'o2', 'o3']);
    expect(handled.filter((id) => id.startsWith('o'))).toEqual(['o1', 'o2', 'o3']);
    expect(handled.filter((id) => id.startsWith('f'))).toEqual(['f1', 'f2', 'f3']);
    expect(askedAtFirstWrite).toEqual(expect.arrayContaining([`${BASE}/Observation?_count=2`, `${BASE}/Flag?_count=2`]));
  });

  it('hands over nothing more once one of the searches side by side fails, and ends with its failure', async () => {
    const { http } = fakeUpstream({
      [`${BASE}/Observation?_count=2`]: searchset(['o1', 'o2'], `${BASE}/Observation?_count=2&page=2`),
      [`${BASE}/Observation?_count=2&page=2`]: searchset(['o3', 'o4'], `${BASE}/Observation?_count=2&page=3`),
      [`${BASE}/Observation?_count=2&page=3`]: searchset(['o5']),
      // Flag's second page is gone: the upstream fails it.
      [`${BASE}/Flag?_count=2`]: searchset(['f1', 'f2'], `${BASE}/Flag?_count=2&page=2`),
    });
    const handled: string[] = [];
    await expect(
      clientOf(http).searchAll(
        ['Observation?_count=2', 'Flag?_count=2'],
        async (page) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          handled.push(...page.map((r) => r.id ?? ''));
        },
        2,
      ),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(handled).not.toContain('o5');
    const settled = [...handled];
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(handled).toEqual(settled);
  });

  it('stops, with a clear error, when the upstream repeats a next link it already gave', async () => {
    const { http, requested } = fakeUpstream({
      [`${BASE}/Patient?_count=2`]: searchset(['a', 'b'], `${BASE}/Patient?_count=2&page=2`),
      [`${BASE}/Patient?_count=2&page=2`]: searchset(['c', 'd'], `${BASE}/Patient?_count=2&page=3`),
      [`${BASE}/Patient?_count=2&page=3`]: searchset(['e'], `${BASE}/Patient?_count=2&page=2`),
    });
    const handled: string[][] = [];
    await expect(
      clientOf(http).search('Patient?_count=2', (page) => {
        handled.push(page.map((r) => r.id ?? ''));
        return Promise.resolve();
      }),
    ).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('round in a circle') });
    expect(handled).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(requested).toHaveLength(3);
  });

  it('does not follow a paging link to another server', async () => {
    const { http, requested } = fakeUpstream({
      [`${BASE}/Patient?_count=2`]: searchset(['a'], 'https://elsewhere.example/fhir/Patient?page=2'),
    });
    await expect(clientOf(http).search('Patient?_count=2', () => Promise.resolve())).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(requested).toEqual([`${BASE}/Patient?_count=2`]);
  });
});
