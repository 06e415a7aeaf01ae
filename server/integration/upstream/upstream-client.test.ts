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
