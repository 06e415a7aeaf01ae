// Reads the stable error code out of an OperationOutcome the hub answered with, so a workstation
// can tell "MFA code needed" from "wrong password" without parsing English.
import { HUB_CURRENT_VERSION_EXTENSION_URL, HUB_ERROR_CODE_SYSTEM } from './wire-constants.js';

export function hubErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const issues = (body as { issue?: unknown }).issue;
  if (!Array.isArray(issues)) return undefined;
  for (const issue of issues as { details?: { coding?: { system?: unknown; code?: unknown }[] } }[]) {
    const coding = issue.details?.coding?.find((c) => c.system === HUB_ERROR_CODE_SYSTEM);
    if (typeof coding?.code === 'string') return coding.code;
  }
  return undefined;
}

/** A version the hub named in a 412 (HUB_CURRENT_VERSION_EXTENSION_URL). */
export interface HubCurrentVersion {
  readonly resourceType: string;
  readonly id: string;
  readonly versionId: string;
}

const VERSION_REFERENCE = /^([A-Z][A-Za-z]{0,63})\/([A-Za-z0-9.-]{1,64})\/_history\/([0-9]{1,18})$/;

/** The current version a 412's OperationOutcome names, when it names one in the expected form. */
export function hubCurrentVersion(body: unknown): HubCurrentVersion | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const issues = (body as { issue?: unknown }).issue;
  if (!Array.isArray(issues)) return undefined;
  for (const issue of issues as { extension?: { url?: unknown; valueReference?: { reference?: unknown } }[] }[]) {
    if (!Array.isArray(issue.extension)) continue;
    const reference = issue.extension.find((e) => e.url === HUB_CURRENT_VERSION_EXTENSION_URL)?.valueReference?.reference;
    const match = typeof reference === 'string' ? VERSION_REFERENCE.exec(reference) : null;
    if (match !== null) return { resourceType: match[1]!, id: match[2]!, versionId: match[3]! };
  }
  return undefined;
}
