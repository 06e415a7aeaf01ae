// SMART discovery as a backend-services client that knows only the hub's address would use it,
// over real TLS on both engines: it reads /.well-known/smart-configuration (at the root and under
// the FHIR base, without a token), finds the same token endpoint in the CapabilityStatement's
// security (oauth-uris), signs its client assertion for the advertised endpoint with the advertised
// algorithm, and gets, for each advertised scope, a token granting no more than that scope.
import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientAssertion, hubErrorCode, tokenRequestBody } from '../../shared/auth/index.js';
import { startHub, type HubEngine, type TestDevice, type TestHub } from '../support/hub-harness.js';
import { admitPatient, observation, seedWard, type AdmittedPatient } from '../support/hub-fixtures.js';

interface SmartConfiguration {
  issuer: string;
  token_endpoint: string;
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  token_endpoint_auth_signing_alg_values_supported: string[];
  scopes_supported: string[];
  capabilities: string[];
}

interface CapabilityStatement {
  resourceType: string;
  rest: {
    security?: {
      service?: { coding?: { system?: string; code?: string }[] }[];
      extension?: { url: string; extension?: { url: string; valueUri?: string }[] }[];
    };
  }[];
}

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

describe.each<HubEngine>(['sqlite', 'postgres'])('SMART discovery over TLS on %s', (engine) => {
  let hub: TestHub;
  let device: TestDevice;
  let onWard: AdmittedPatient;

  beforeAll(async () => {
    hub = await startHub({ engine });
    await seedWard(hub.db, 'a');
    onWard = await admitPatient(hub.db, 'a');
    device = await hub.enrollDevice('a');
  });

  afterAll(async () => {
    await hub?.stop();
  });

  async function discovery(path: string): Promise<SmartConfiguration> {
    const response = await hub.fetch(path, { headers: { accept: 'application/json' } });
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type') ?? '', path).toMatch(/^application\/json/);
    return (await response.json()) as SmartConfiguration;
  }

  it('publishes the same configuration, without a token, at the root and under the FHIR base', async () => {
    const root = await discovery('/.well-known/smart-configuration');
    const underFhir = await discovery('/fhir/.well-known/smart-configuration');
    expect(underFhir).toEqual(root);
    expect(root.issuer).toBe(hub.url);
    expect(root.token_endpoint).toBe(`${hub.url}/auth/token`);
    expect(root.grant_types_supported).toEqual(['client_credentials']);
    expect(root.token_endpoint_auth_methods_supported).toEqual(['private_key_jwt']);
    expect(root.token_endpoint_auth_signing_alg_values_supported).toEqual(['ES384']);
    expect(root.capabilities).toContain('client-confidential-asymmetric');
    expect(root.scopes_supported).toEqual(expect.arrayContaining(['system/*.read', 'system/*.write']));
    // Nothing of any ward or patient is in it.
    expect(JSON.stringify(root)).not.toContain(onWard.patientId);
  });

  it('names the same token endpoint in the CapabilityStatement security (SMART-on-FHIR, oauth-uris)', async () => {
    const smart = await discovery('/.well-known/smart-configuration');
    const response = await device.fetch('/fhir/metadata');
    expect(response.status).toBe(200);
    const statement = (await response.json()) as CapabilityStatement;
    expect(statement.resourceType).toBe('CapabilityStatement');
    const security = statement.rest[0]!.security!;
    expect(security.service!.flatMap((s) => s.coding ?? []).map((c) => c.code)).toContain('SMART-on-FHIR');
    const oauth = security.extension!.find((e) => e.url === OAUTH_URIS)!;
    expect(oauth.extension).toContainEqual({ url: 'token', valueUri: smart.token_endpoint });
  });

  it('issues a token for each advertised scope to a client that follows discovery alone, granting no more than asked', async () => {
    const smart = await discovery('/.well-known/smart-configuration');
    const patientRead = `/fhir/Patient/${onWard.patientId}`;
    for (const scope of smart.scopes_supported) {
      const assertion = await createClientAssertion({
        privateKey: device.privateKey,
        clientId: device.clientId,
        tokenUrl: smart.token_endpoint,
        now: new Date(),
      });
      expect(smart.token_endpoint_auth_signing_alg_values_supported).toContain(decodeProtectedHeader(assertion).alg);
      const issued = await fetchUrl(smart.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: tokenRequestBody(assertion, scope),
      });
      expect(issued.status, scope).toBe(200);
      const token = (await issued.json()) as { access_token: string; token_type: string; scope: string; expires_in: number };
      expect(token.token_type.toLowerCase(), scope).toBe('bearer');
      expect(token.expires_in, scope).toBeLessThanOrEqual(15 * 60);
      const granted = token.scope.split(' ');
      expect(
        granted.every((s) => smart.scopes_supported.includes(s)),
        `${scope} → ${token.scope}`,
      ).toBe(true);
      const auth = { authorization: `Bearer ${token.access_token}` };
      const mayRead = /\.(read|\*|rs|cruds)$/.test(scope);
      const mayWrite = /\.(write|\*|cruds)$/.test(scope);
      const read = await hub.fetch(patientRead, { headers: auth });
      expect(read.status, `read with ${scope}`).toBe(mayRead ? 200 : 403);
      if (!mayWrite) {
        // A token that may not write is refused a write before anything else is judged.
        const write = await hub.fetch('/fhir/Observation', { headers: auth, body: observation(onWard.patientId) });
        expect(write.status, `write with ${scope}`).toBe(403);
        expect(hubErrorCode(await write.json()), `write with ${scope}`).toBe('INSUFFICIENT_SCOPE');
      }
    }
  });

  it('refuses an assertion addressed to anything but the advertised token endpoint', async () => {
    const smart = await discovery('/.well-known/smart-configuration');
    const assertion = await createClientAssertion({
      privateKey: device.privateKey,
      clientId: device.clientId,
      tokenUrl: `${hub.url}/fhir`,
      now: new Date(),
    });
    const refused = await fetchUrl(smart.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestBody(assertion, 'system/*.read'),
    });
    // RFC 6749 §5.2: a client that fails to authenticate gets 401 invalid_client.
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: string }).error).toBe('invalid_client');
  });

  /** HTTPS to an absolute URL the discovery document named (it must be this hub's). */
  function fetchUrl(url: string, init: { method: string; headers: Record<string, string>; body: string }): Promise<Response> {
    expect(url.startsWith(`${hub.url}/`)).toBe(true);
    return hub.fetch(url.slice(hub.url.length), init);
  }
});
