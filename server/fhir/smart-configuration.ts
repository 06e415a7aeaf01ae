// SMART discovery: what a client needs to get a token here, published at
// /.well-known/smart-configuration (and under the FHIR base, where SMART clients look), and as the
// security section of the CapabilityStatement (oauth-uris). Backend services only: a device signs a
// client assertion (private_key_jwt, ES384) and gets system/* scopes.
import { DEVICE_SCOPES_SUPPORTED } from '../identity/index.js';

export const OAUTH_URIS_EXTENSION_URL = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';

/** The hub's token endpoint: `{hubUrl}/auth/token`. */
export function tokenEndpointOf(hubUrl: string): string {
  return `${hubUrl.replace(/\/+$/, '')}/auth/token`;
}

export function smartConfiguration(hubUrl: string): Record<string, unknown> {
  return {
    issuer: hubUrl.replace(/\/+$/, ''),
    token_endpoint: tokenEndpointOf(hubUrl),
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES384'],
    scopes_supported: [...DEVICE_SCOPES_SUPPORTED],
    response_types_supported: ['token'],
    capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
  };
}

/** The CapabilityStatement's rest.security: SMART-on-FHIR with the token endpoint as an oauth-uri. */
export function capabilitySecurity(hubUrl: string, description: string): Record<string, unknown> {
  return {
    cors: false,
    service: [
      {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }],
        text: 'SMART Backend Services (private_key_jwt)',
      },
    ],
    extension: [{ url: OAUTH_URIS_EXTENSION_URL, extension: [{ url: 'token', valueUri: tokenEndpointOf(hubUrl) }] }],
    description,
  };
}
