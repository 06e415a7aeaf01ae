// The hub's error answers from the identity and audit rooms: an OperationOutcome carrying the
// stable code (system HUB_ERROR_CODE_SYSTEM) and an actionable message; 401s also carry
// `WWW-Authenticate: Bearer`, 429s `Retry-After`.
import type { FastifyReply } from 'fastify';
import { HUB_ERROR_CODE_SYSTEM } from '../../shared/auth/index.js';

const ISSUE_TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'too-long',
  415: 'not-supported',
  422: 'processing',
  429: 'throttled',
};

export interface OperationOutcome {
  readonly resourceType: 'OperationOutcome';
  readonly issue: readonly {
    readonly severity: 'error' | 'fatal';
    readonly code: string;
    readonly details: { readonly coding: readonly { readonly system: string; readonly code: string }[]; readonly text: string };
    readonly diagnostics: string;
  }[];
}

export function operationOutcome(status: number, code: string, message: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: status >= 500 ? 'fatal' : 'error',
        code: ISSUE_TYPE_BY_STATUS[status] ?? 'exception',
        details: { coding: [{ system: HUB_ERROR_CODE_SYSTEM, code }], text: message },
        diagnostics: message,
      },
    ],
  };
}

/** Ends the request with an OperationOutcome; 401 adds the Bearer challenge. */
export function sendOutcome(reply: FastifyReply, status: number, code: string, message: string, tokenPresented = true): FastifyReply {
  if (status === 401) {
    reply.header('WWW-Authenticate', tokenPresented ? 'Bearer realm="wardline-hub", error="invalid_token"' : 'Bearer realm="wardline-hub"');
  }
  return reply
    .code(status)
    .type('application/fhir+json')
    .send(operationOutcome(status, code, message));
}
