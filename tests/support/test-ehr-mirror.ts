// A hub's mirror of the test EHR (upstream-fhir-server.ts) as the documentation-sent-back tests set it
// up: the EHR's defaults, one ward mapped to the EHR's Location, retries capped at a second, no logs.
import pino from 'pino';
import { createUpstreamMirror, UPSTREAM_DEFAULTS, type UpstreamMirror } from '../../server/integration/index.js';
import type { SqlDatabase } from '../../server/storage/index.js';
import type { UpstreamFhirServer } from './upstream-fhir-server.js';

export interface TestEhrMirrorOptions {
  /** The SMART client the test registered with the EHR, and its private key (PKCS#8 PEM). */
  readonly clientId: string;
  readonly privateKeyPem: string;
  /** The hub's ward and the EHR's Location it mirrors (`Location/…`). */
  readonly ward: string;
  readonly location: string;
}

export function createTestEhrMirror(db: SqlDatabase, upstream: UpstreamFhirServer, options: TestEhrMirrorOptions): Promise<UpstreamMirror> {
  return createUpstreamMirror({
    db,
    config: {
      ...UPSTREAM_DEFAULTS,
      baseUrl: upstream.baseUrl,
      clientId: options.clientId,
      privateKeyPem: options.privateKeyPem,
      caPem: upstream.caPem,
      wards: [{ ward: options.ward, location: options.location }],
      maxBackoffMs: 1000,
    },
    logger: pino({ level: 'silent' }),
  });
}
