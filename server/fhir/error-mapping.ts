// Maps what can go wrong in a FHIR request to a FhirError: our own, the hub rooms' errors (a
// WardlineError with an httpStatus: identity, audit ingest), Fastify's body errors (size, JSON),
// storage conflicts.
// Anything else is an internal error, answered with a 500 and logged without details of the data.
import { WardlineError } from '../../shared/errors/index.js';
import { FhirError } from './fhir-error.js';

const ISSUE_BY_STATUS: Readonly<Record<number, FhirError['issueType']>> = {
  400: 'invalid',
  401: 'security',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-long',
  422: 'processing',
  428: 'conflict',
  429: 'throttled',
};

/** A FhirError for errors a client caused or may retry; null for the hub's own failures. */
export function errorToFhir(error: unknown): FhirError | null {
  if (error instanceof FhirError) return error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, httpStatus, statusCode, message } = error as {
    code?: unknown;
    httpStatus?: unknown;
    statusCode?: unknown;
    message?: unknown;
  };
  if (error instanceof WardlineError && typeof httpStatus === 'number' && typeof code === 'string' && typeof message === 'string') {
    return new FhirError(httpStatus, code as FhirError['code'], ISSUE_BY_STATUS[httpStatus] ?? 'processing', message);
  }
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new FhirError(413, 'BODY_TOO_LARGE', 'too-long', 'The request body is larger than the hub accepts; send smaller Bundles.');
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new FhirError(415, 'UNSUPPORTED_MEDIA_TYPE', 'not-supported', 'Send FHIR JSON (Content-Type: application/fhir+json).');
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return new FhirError(400, 'MALFORMED_JSON', 'structure', 'The request body is empty; send a FHIR resource as JSON.');
  }
  if (code === 'TRANSACTION_CONFLICT') {
    return new FhirError(503, 'BUSY', 'transient', 'The hub is too busy to apply this change right now; retry shortly.');
  }
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return new FhirError(
      statusCode,
      'INVALID_HEADER',
      ISSUE_BY_STATUS[statusCode] ?? 'invalid',
      'The request could not be read; check its headers and body.',
    );
  }
  return null;
}
