// What the hub needs to mirror an upstream EHR: its FHIR base, the hub's SMART client id and key,
// the CA to trust, which upstream Location is which ward, and the pacing. Checked once at start.
import { DEFAULT_CACHE_DAYS_BEFORE_ADMISSION, WARD_CODE_PATTERN } from '../../../shared/fhir/index.js';
import { UpstreamError } from './upstream-error.js';

export interface UpstreamWard {
  /** The hub's ward id (its Location is `Location/ward-{ward}`). */
  readonly ward: string;
  /** The upstream Location the ward is, as `Location/{id}`. */
  readonly location: string;
}

/**
 * The EHR's visit-number identifier system that numbers the same stays as the ADT feed's PV1-19 of
 * one assigning authority (PV1-19 CX-4, else MSH-4): an EHR Encounter carrying `system|V` is the
 * feed's visit V of `authority` (one Encounter at the hub, docs/UPSTREAM.md).
 */
export interface UpstreamVisitSystem {
  readonly system: string;
  readonly authority: string;
}

export interface UpstreamConfig {
  /** The upstream FHIR base URL (https), without a trailing slash. */
  readonly baseUrl: string;
  readonly clientId: string;
  /** The hub's private key (PKCS#8 PEM), registered with the upstream as a JWKS. */
  readonly privateKeyPem: string;
  /** The key's id (kid) as registered; the JWK thumbprint when absent. */
  readonly keyId?: string;
  /** PEM of a CA to trust for the upstream instead of the system's. */
  readonly caPem?: string;
  readonly wards: readonly UpstreamWard[];
  /** Pause between cycles (default 30 s). */
  readonly pollIntervalMs: number;
  /** The cache window: care from this many days before the admission (policy cache.daysBeforeAdmission). */
  readonly daysBeforeAdmission: number;
  /** Resources per page asked of the upstream (default 1000). */
  readonly pageSize: number;
  /** How far back each `_lastUpdated` poll re-reads, for writes the upstream committed late (default 2 s). */
  readonly overlapMs: number;
  /** Longest pause after failures (default 5 min). */
  readonly maxBackoffMs: number;
  /** How often each ward's charts are checked for deletions upstream (default 10 min; 0: every cycle). */
  readonly deletionSweepMs?: number;
  /** How long the leader's lease lasts without renewal (default: 2 min, or 3 poll intervals if longer). */
  readonly leaseMs?: number;
  /**
   * The identifier system of the EHR's MRN (the number the ADT feed sends in PID-3). Without it, the
   * Patient identifier typed MR (v2-0203) is the MRN.
   */
  readonly mrnSystem?: string;
  /** The EHR's visit-number systems matched to the ADT feed's authorities (none: never matched). */
  readonly visitNumberSystems?: readonly UpstreamVisitSystem[];
}

export const UPSTREAM_DEFAULTS = {
  pollIntervalMs: 30_000,
  daysBeforeAdmission: DEFAULT_CACHE_DAYS_BEFORE_ADMISSION,
  pageSize: 1000,
  overlapMs: 2_000,
  maxBackoffMs: 5 * 60_000,
  deletionSweepMs: 10 * 60_000,
  leaseMs: 2 * 60_000,
} as const;

/** The leader lease's length for a configuration. */
export function leaseMsOf(config: UpstreamConfig): number {
  return config.leaseMs ?? Math.max(UPSTREAM_DEFAULTS.leaseMs, 3 * config.pollIntervalMs);
}

/** Parses `--upstream-ward WARD=Location/ID` (ID alone is read as Location/ID). */
export function parseUpstreamWard(text: string): UpstreamWard {
  const [ward, location] = text.split('=', 2);
  const ref = location?.startsWith('Location/') ? location : `Location/${location ?? ''}`;
  if (!ward || !WARD_CODE_PATTERN.test(ward) || !/^Location\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) {
    throw new UpstreamError('CONFIG_INVALID', `"${text}" is not WARD=Location/ID (e.g. --upstream-ward 4north=Location/abc123).`);
  }
  return { ward, location: ref };
}

/** Parses `--upstream-visit-system AUTHORITY=SYSTEM` (the authority as PV1-19 CX-4 or MSH-4 sends it). */
export function parseUpstreamVisitSystem(text: string): UpstreamVisitSystem {
  const at = text.indexOf('=');
  const authority = at > 0 ? text.slice(0, at) : '';
  const system = at > 0 ? text.slice(at + 1) : '';
  if (!authority || authority.length > 64 || !/^[a-z][a-z0-9+.-]*:\S+$/i.test(system)) {
    throw new UpstreamError(
      'CONFIG_INVALID',
      `"${text}" is not AUTHORITY=SYSTEM (e.g. --upstream-visit-system GENERAL=http://hospital.example/visit-number).`,
    );
  }
  return { authority, system };
}

export function checkUpstreamConfig(config: UpstreamConfig): UpstreamConfig {
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw new UpstreamError('CONFIG_INVALID', 'The upstream URL is not a URL; give the FHIR base, e.g. https://ehr.example/fhir/R4.');
  }
  if (url.protocol !== 'https:') throw new UpstreamError('CONFIG_INVALID', 'The upstream FHIR server must be reached over https://.');
  if (!config.clientId) throw new UpstreamError('CONFIG_INVALID', 'The upstream needs the client id the EHR registered for this hub.');
  if (config.wards.length === 0) {
    throw new UpstreamError('CONFIG_INVALID', 'Name at least one ward to mirror: --upstream-ward WARD=Location/ID.');
  }
  return { ...config, baseUrl: config.baseUrl.replace(/\/+$/, '') };
}
