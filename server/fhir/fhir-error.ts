// The FHIR room's one error: an HTTP status, a FHIR issue type, a stable code a client can branch
// on, and a message for people. Never holds resource content. Sent as an OperationOutcome.
import { HUB_CURRENT_VERSION_EXTENSION_URL, HUB_ERROR_CODE_SYSTEM } from '../../shared/auth/index.js';
import { WardlineError } from '../../shared/errors/index.js';

export type FhirErrorCode =
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNKNOWN_RESOURCE_TYPE'
  | 'UNKNOWN_ROUTE'
  | 'METHOD_NOT_ALLOWED'
  | 'RESOURCE_TYPE_MISMATCH'
  | 'ID_MISMATCH'
  | 'INVALID_ID'
  | 'INVALID_RESOURCE'
  | 'INVALID_SEARCH'
  | 'INVALID_BUNDLE'
  | 'INVALID_HEADER'
  | 'NOT_FOUND'
  | 'GONE'
  | 'VERSION_CONFLICT'
  | 'MULTIPLE_MATCHES'
  | 'CONDITIONAL_REFERENCE_NO_MATCH'
  | 'CONFLICT'
  | 'OUT_OF_SCOPE'
  | 'FORBIDDEN'
  | 'INSUFFICIENT_SCOPE'
  | 'BTG_NOT_PERMITTED'
  | 'ADT_SOURCE_ONLY'
  | 'RECORDER_REQUIRED'
  | 'RECORDER_NOT_VALID'
  | 'PRECONDITION_REQUIRED'
  | 'IMPLAUSIBLE_VITAL_SIGN'
  | 'UNMARKED_CORRECTION'
  | 'RETRACTED_RECORD'
  | 'PERFORMER_NOT_RECORDER'
  | 'DELETE_NOT_ALLOWED'
  | 'REFERENCE_NOT_FOUND'
  | 'BODY_TOO_LARGE'
  | 'TOO_MANY_ENTRIES'
  | 'TRANSACTION_FAILED'
  | 'BUSY'
  | 'INTERNAL';

export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'not-found'
  | 'deleted'
  | 'conflict'
  | 'duplicate'
  | 'forbidden'
  | 'security'
  | 'not-supported'
  | 'too-costly'
  | 'too-long'
  | 'transient'
  | 'throttled'
  | 'exception'
  | 'processing'
  | 'business-rule';

export class FhirError extends WardlineError<FhirErrorCode> {
  override readonly name = 'FhirError';
  constructor(
    readonly status: number,
    code: FhirErrorCode,
    readonly issueType: IssueType,
    message: string,
    readonly expression?: string,
    /** A 412's current version, `Type/id/_history/n` (HUB_CURRENT_VERSION_EXTENSION_URL); only once the caller may change it. */
    readonly currentVersion?: string,
  ) {
    super(code, message);
  }
}

export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  details?: { coding: { system: string; code: string }[]; text?: string };
  diagnostics?: string;
  expression?: string[];
  extension?: { url: string; valueReference: { reference: string } }[];
}

export function operationOutcome(issue: OperationOutcomeIssue): { resourceType: 'OperationOutcome'; issue: OperationOutcomeIssue[] } {
  return { resourceType: 'OperationOutcome', issue: [issue] };
}

export function outcomeOf(error: FhirError): ReturnType<typeof operationOutcome> {
  return operationOutcome({
    severity: 'error',
    code: error.issueType,
    details: { coding: [{ system: HUB_ERROR_CODE_SYSTEM, code: error.code }], text: error.message },
    diagnostics: error.message,
    ...(error.expression === undefined ? {} : { expression: [error.expression] }),
    ...(error.currentVersion === undefined
      ? {}
      : { extension: [{ url: HUB_CURRENT_VERSION_EXTENSION_URL, valueReference: { reference: error.currentVersion } }] }),
  });
}

/** An informational OperationOutcome (e.g. the body of a successful delete). */
export function informationOutcome(message: string): ReturnType<typeof operationOutcome> {
  return operationOutcome({ severity: 'information', code: 'informational', diagnostics: message });
}

/** A refusal the hub logs as `access-refused`: an access policy's 403, or a DELETE (nothing is deleted on request). */
export function isLoggedRefusal(error: FhirError): boolean {
  return error.status === 403 || error.code === 'DELETE_NOT_ALLOWED';
}
