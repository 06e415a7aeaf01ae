// Break-the-glass reads at the hub for a patient off this ward, attributed to the signed-in user:
// the Patient by MRN, then that patient's $everything (every page), each request with the user's
// token and the break-the-glass reason. Nothing is written here: the caller decides where it goes.
import { BTG_REASON_HEADER, USER_TOKEN_HEADER } from '../../shared/auth/index.js';
import { isSupportedResourceType, MRN_SYSTEM, type Resource } from '../../shared/fhir/index.js';
import { readBundlePage } from './bundle-reading.js';
import type { HubClient } from './hub-client.js';
import { SyncError } from './sync-error.js';

/** Who asks and why: the user's hub token and the reason, as the hub records it. */
export interface BreakTheGlassAuthority {
  readonly userToken: string;
  /** An HL7 v3 ActReason code (ETREAT, COC, TREAT). */
  readonly reasonCode: string;
  /** The user's own words. */
  readonly reasonText: string;
}

/** The hub accepts a reason of at most this many characters. */
const MAX_REASON_HEADER = 500;
/** An interactive read: one retry, then the user is told. */
const INTERACTIVE_RETRIES = 1;
/** A chart of more pages than this is refused (a runaway walk, not a patient). */
const MAX_PAGES = 200;

/**
 * "CODE: text" as one header line: control characters become spaces, "%" and characters outside
 * printable ASCII are percent-encoded (a header carries no others), at most 500 characters, never
 * cutting an escape in two.
 */
export function breakTheGlassReasonHeader(reasonCode: string, reasonText: string): string {
  let out = '';
  for (const char of `${reasonCode}: ${reasonText.trim()}`) {
    const code = char.codePointAt(0)!;
    const piece = code < 0x20 || code === 0x7f ? ' ' : code <= 0x7e && char !== '%' ? char : percentEncoded(char);
    if (out.length + piece.length > MAX_REASON_HEADER) break;
    out += piece;
  }
  return out;
}

/** UTF-8 percent-encoding of one character; a lone surrogate (not text) becomes "?". */
function percentEncoded(char: string): string {
  try {
    return encodeURIComponent(char);
  } catch {
    return '?';
  }
}

function headersOf(authority: BreakTheGlassAuthority): Record<string, string> {
  return {
    [USER_TOKEN_HEADER]: authority.userToken,
    [BTG_REASON_HEADER]: breakTheGlassReasonHeader(authority.reasonCode, authority.reasonText),
  };
}

/** The ids of the Patients whose MRN is `mrn` (at most two are asked for: more than one is ambiguous). */
export async function findPatientsByMrn(client: HubClient, mrn: string, authority: BreakTheGlassAuthority): Promise<string[]> {
  const query = new URLSearchParams({ identifier: `${MRN_SYSTEM}|${mrn}`, _count: '2' });
  const body = await client.getJson(`/fhir/Patient?${query.toString()}`, { headers: headersOf(authority), retries: INTERACTIVE_RETRIES });
  const page = readBundlePage(body, 'searchset');
  return [...new Set(page.versions.filter((v) => v.type === 'Patient' && v.mode === 'match').map((v) => v.id))];
}

/** What a chart holds: the types Wardline knows, but not other workstations' audit events. */
const isChartType = (type: string): boolean => isSupportedResourceType(type) && type !== 'AuditEvent';

/** Every current resource of the patient the hub holds ($everything, all pages), of the types Wardline knows. */
export async function fetchPatientEverything(
  client: HubClient,
  patientId: string,
  authority: BreakTheGlassAuthority,
  pageSize: number,
): Promise<Resource[]> {
  const headers = headersOf(authority);
  const resources: Resource[] = [];
  let url: string | null = `/fhir/Patient/${encodeURIComponent(patientId)}/$everything?_count=${pageSize}`;
  for (let pages = 0; url !== null; pages += 1) {
    if (pages >= MAX_PAGES) {
      throw new SyncError(
        'HUB_ANSWER_INVALID',
        'The hub sent more pages of one chart than this workstation accepts. Ask IT to check the hub.',
      );
    }
    const page = readBundlePage(await client.getJson(url, { headers, retries: INTERACTIVE_RETRIES }), 'searchset');
    for (const version of page.versions) {
      if (version.resource !== null && isChartType(version.type)) resources.push(version.resource);
    }
    url = page.next;
  }
  if (!resources.some((r) => r.resourceType === 'Patient' && r.id === patientId)) {
    throw new SyncError('HUB_ANSWER_INVALID', "The hub's answer for this chart did not include the patient. Ask IT to check the hub.");
  }
  return resources;
}
