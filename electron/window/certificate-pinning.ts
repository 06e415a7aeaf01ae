// Certificate pinning inside Electron's own network stack (session.setCertificateVerifyProc), as
// the host's HTTPS client does it for sync (electron/sync PinnedAgent): the hub's certificate is
// accepted only when its SPKI SHA-256 is one of the policy's pins. The update server, when
// updates are on and it is not the hub, gets Chromium's normal verification. Every other host is
// refused: the window has no business with any.
import { X509Certificate } from 'node:crypto';
import type { Session } from 'electron';
import { spkiPinOf } from '../sync/index.js';

/** setCertificateVerifyProc's verdicts (Chromium net error codes). */
export const CERTIFICATE_ACCEPT = 0;
export const CERTIFICATE_REJECT = -2;
export const CERTIFICATE_USE_CHROMIUM = -3;

export type CertificateVerifyProc = NonNullable<Parameters<Session['setCertificateVerifyProc']>[0]>;
export type CertificateVerifyRequest = Parameters<CertificateVerifyProc>[0];

export interface PinningRules {
  /** Host name (lower case) → accepted SPKI pins. */
  readonly pinned: ReadonlyMap<string, readonly string[]>;
  /** Host names verified by Chromium's usual rules (the update server). */
  readonly publicHosts: ReadonlySet<string>;
}

/** The rules for a policy: the hub pinned, the update server (if any, and not the hub) verified normally. */
export function pinningRulesOf(policy: {
  readonly hubUrl: string;
  readonly pins: readonly string[];
  readonly updates: { readonly enabled: boolean; readonly url?: string };
}): PinningRules {
  const hub = new URL(policy.hubUrl).hostname.toLowerCase();
  const publicHosts = new Set<string>();
  if (policy.updates.enabled && policy.updates.url !== undefined) {
    const updates = new URL(policy.updates.url).hostname.toLowerCase();
    if (updates !== hub) publicHosts.add(updates);
  }
  return { pinned: new Map([[hub, [...policy.pins]]]), publicHosts };
}

function presentedPin(pem: string): string | null {
  try {
    return spkiPinOf(new X509Certificate(pem));
  } catch {
    return null;
  }
}

/** The verdict for one certificate check. */
export function certificateVerdict(request: Pick<CertificateVerifyRequest, 'hostname' | 'certificate'>, rules: PinningRules): number {
  const host = request.hostname.toLowerCase().replace(/\.$/, '');
  const pins = rules.pinned.get(host);
  if (pins !== undefined) {
    const pin = presentedPin(request.certificate.data);
    return pin !== null && pins.includes(pin) ? CERTIFICATE_ACCEPT : CERTIFICATE_REJECT;
  }
  return rules.publicHosts.has(host) ? CERTIFICATE_USE_CHROMIUM : CERTIFICATE_REJECT;
}

/** The proc to hand to session.setCertificateVerifyProc; `onRefused` hears each refusal (host only). */
export function certificateVerifyProc(rules: PinningRules, onRefused: (host: string) => void = () => undefined): CertificateVerifyProc {
  return (request, callback) => {
    const verdict = certificateVerdict(request, rules);
    if (verdict === CERTIFICATE_REJECT) onRefused(request.hostname);
    callback(verdict);
  };
}
