// Certificate pinning in Electron's session (setCertificateVerifyProc), checked with real
// certificates made the way the hub makes its development certificate.
import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CERTIFICATE_ACCEPT,
  CERTIFICATE_REJECT,
  CERTIFICATE_USE_CHROMIUM,
  certificateVerdict,
  certificateVerifyProc,
  pinningRulesOf,
} from '../../electron/window/index.js';
import { spkiPinOf } from '../../electron/sync/index.js';
import { createDevCertificate } from '../../server/tls/index.js';

const hubCert = createDevCertificate({ hostNames: ['hub.hospital.example'] }).certPem;
const nextHubCert = createDevCertificate({ hostNames: ['hub.hospital.example'] }).certPem;
const attackerCert = createDevCertificate({ hostNames: ['hub.hospital.example'] }).certPem;
const pinOf = (pem: string): string => spkiPinOf(new X509Certificate(pem));

const policy = {
  hubUrl: 'https://hub.hospital.example:8443',
  pins: [pinOf(hubCert), pinOf(nextHubCert)],
  updates: { enabled: true, url: 'https://updates.hospital.example/wardline/' },
};
const rules = pinningRulesOf(policy);
const request = (hostname: string, pem: string) => ({ hostname, certificate: { data: pem } as never });

describe("certificate pinning in Electron's session", () => {
  it('accepts the hub only with a certificate whose key is pinned (the current one, or the next during a rotation)', () => {
    expect(certificateVerdict(request('hub.hospital.example', hubCert), rules)).toBe(CERTIFICATE_ACCEPT);
    expect(certificateVerdict(request('HUB.hospital.example.', nextHubCert), rules)).toBe(CERTIFICATE_ACCEPT);
  });

  it("refuses the hub's name with any other certificate, however valid it looks", () => {
    expect(certificateVerdict(request('hub.hospital.example', attackerCert), rules)).toBe(CERTIFICATE_REJECT);
    expect(certificateVerdict(request('hub.hospital.example', 'not a certificate'), rules)).toBe(CERTIFICATE_REJECT);
  });

  it("leaves the update server to Chromium's normal checks, and refuses every other host", () => {
    expect(certificateVerdict(request('updates.hospital.example', attackerCert), rules)).toBe(CERTIFICATE_USE_CHROMIUM);
    expect(certificateVerdict(request('tracker.example.com', hubCert), rules)).toBe(CERTIFICATE_REJECT);
    const noUpdates = pinningRulesOf({ ...policy, updates: { enabled: false } });
    expect(certificateVerdict(request('updates.hospital.example', hubCert), noUpdates)).toBe(CERTIFICATE_REJECT);
  });

  it('pins the update server too when it is the hub', () => {
    const sameHost = pinningRulesOf({ ...policy, updates: { enabled: true, url: 'https://hub.hospital.example:8443/updates/' } });
    expect(sameHost.publicHosts.size).toBe(0);
    expect(certificateVerdict(request('hub.hospital.example', attackerCert), sameHost)).toBe(CERTIFICATE_REJECT);
  });

  it('answers through the proc Electron calls, reporting each refusal by host', () => {
    const refused: string[] = [];
    const proc = certificateVerifyProc(rules, (host) => refused.push(host));
    const verdicts: number[] = [];
    proc(
      {
        ...request('hub.hospital.example', hubCert),
        validatedCertificate: {} as never,
        isIssuedByKnownRoot: false,
        verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
        errorCode: -202,
      },
      (v) => verdicts.push(v),
    );
    proc(
      {
        ...request('hub.hospital.example', attackerCert),
        validatedCertificate: {} as never,
        isIssuedByKnownRoot: true,
        verificationResult: 'OK',
        errorCode: 0,
      },
      (v) => verdicts.push(v),
    );
    expect(verdicts).toEqual([CERTIFICATE_ACCEPT, CERTIFICATE_REJECT]);
    expect(refused).toEqual(['hub.hospital.example']);
  });
});
