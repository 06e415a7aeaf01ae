// Reads the stable error code out of an OperationOutcome the hub answered with, so a workstation
// can tell "MFA code needed" from "wrong password" without parsing English.
import { HUB_ERROR_CODE_SYSTEM } from './wire-constants.js';

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
