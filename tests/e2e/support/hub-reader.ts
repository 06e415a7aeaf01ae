// Reads the hub over FHIR as another device on the ward would (enrolled with its own key, a device
// token from /auth/token), to check what the workstation's uploads left there. `signedIn` is that
// device with a colleague signed in at the hub: their reads and writes (a create, an update with
// If-Match) go through the hub's FHIR API under their name, as from another workstation.
import type { Bundle, Observation, Resource } from '../../../shared/fhir/index.js';
import { HEART_RATE } from '../../../shared/vital-signs/index.js';
import { CLIENT_ID_SYSTEM } from '../../../electron/sync/index.js';
import { createClientAssertion, generateDeviceKeyPair, tokenRequestBody, USER_TOKEN_HEADER } from '../../../shared/auth/index.js';
import { httpsFetchTrusting } from '../../support/https-fetch.js';
import type { E2eHub } from '../../support/e2e-harness.js';

export interface HubReader {
  /** Every resource a FHIR search returns, following `next` links. Query like `subject=Patient/x`. */
  search<T extends Resource>(type: T['resourceType'], query: string): Promise<T[]>;
  read<T extends Resource>(type: T['resourceType'], id: string): Promise<T>;
  /** PUT of `resource` (by its type and id), with `If-Match: W/"{ifMatch}"` when given; the hub's answer. */
  update(resource: Resource, ifMatch?: string): Promise<Response>;
  /** POST of `resource` to its type (a create, as another workstation's upload); the hub's answer. */
  create(resource: Resource): Promise<Response>;
  /** The same device with `username` signed in at the hub (POST /auth/login): every request carries their user token. */
  signedIn(username: string, password: string): Promise<HubReader>;
  close(): void;
}

export async function hubReader(hub: E2eHub): Promise<HubReader> {
  const client = httpsFetchTrusting(hub.caPem);
  const keys = await generateDeviceKeyPair();
  const enrolled = await client.fetch(`${hub.url}/auth/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ enrollmentToken: await hub.enrollmentToken(), publicKeyJwk: keys.publicKeyJwk }),
  });
  if (enrolled.status !== 201) throw new Error(`the checking device could not enroll at the hub (${enrolled.status})`);
  const device = (await enrolled.json()) as { clientId: string; tokenUrl: string };
  const token = async (): Promise<string> => {
    const assertion = await createClientAssertion({
      privateKey: keys.privateKey,
      clientId: device.clientId,
      tokenUrl: device.tokenUrl,
      now: new Date(),
    });
    const response = await client.fetch(device.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(assertion),
    });
    if (response.status !== 200) throw new Error(`the checking device got no token (${response.status})`);
    return ((await response.json()) as { access_token: string }).access_token;
  };
  const makeReader = (userToken: string | null): HubReader => {
    const headers = async (): Promise<Record<string, string>> => ({
      accept: 'application/fhir+json',
      authorization: `Bearer ${await token()}`,
      ...(userToken === null ? {} : { [USER_TOKEN_HEADER]: userToken }),
    });
    const get = async (url: string): Promise<unknown> => {
      const response = await client.fetch(url, { headers: await headers() });
      if (response.status !== 200) throw new Error(`GET ${new URL(url).pathname} answered ${response.status}`);
      return response.json();
    };
    return {
      async search<T extends Resource>(type: T['resourceType'], query: string): Promise<T[]> {
        const found: T[] = [];
        let next: string | undefined = `${hub.url}/fhir/${type}?${query}`;
        while (next !== undefined) {
          const bundle = (await get(next)) as Bundle;
          for (const entry of bundle.entry ?? []) if (entry.resource?.resourceType === type) found.push(entry.resource as T);
          next = bundle.link?.find((l) => l.relation === 'next')?.url;
        }
        return found;
      },
      async read<T extends Resource>(type: T['resourceType'], id: string): Promise<T> {
        return (await get(`${hub.url}/fhir/${type}/${id}`)) as T;
      },
      async update(resource, ifMatch) {
        return client.fetch(`${hub.url}/fhir/${resource.resourceType}/${resource.id!}`, {
          method: 'PUT',
          headers: {
            ...(await headers()),
            'content-type': 'application/fhir+json',
            ...(ifMatch === undefined ? {} : { 'if-match': `W/"${ifMatch}"` }),
          },
          body: JSON.stringify(resource),
        });
      },
      async create(resource) {
        return client.fetch(`${hub.url}/fhir/${resource.resourceType}`, {
          method: 'POST',
          headers: { ...(await headers()), 'content-type': 'application/fhir+json' },
          body: JSON.stringify(resource),
        });
      },
      async signedIn(username, password) {
        const response = await client.fetch(`${hub.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await token()}` },
          body: JSON.stringify({ username, password }),
        });
        if (response.status !== 200) throw new Error(`${username} could not sign in at the hub (${response.status})`);
        return makeReader(((await response.json()) as { accessToken: string }).accessToken);
      },
      close: () => client.close(),
    };
  };
  return makeReader(null);
}

/**
 * The heart rates of `value` a workstation documented for a patient, as the hub holds them: readings
 * carrying the workstation's client identifier (the hub's synthetic ones do not).
 */
export async function documentedHeartRates(hub: HubReader, patientId: string, value: number): Promise<Observation[]> {
  return (await hub.search<Observation>('Observation', `subject=Patient/${patientId}`)).filter(
    (o) =>
      o.identifier?.some((i) => i.system === CLIENT_ID_SYSTEM) === true &&
      o.code.coding?.some((c) => c.code === HEART_RATE.code) === true &&
      o.valueQuantity?.value === value,
  );
}
