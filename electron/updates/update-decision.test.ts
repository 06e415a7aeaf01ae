import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair, signingKeyFromPem, trustedKeyFromPem, type UpdatePolicy } from '../policy/index.js';
import { assertOfferMatchesManifest, decideUpdate } from './update-decision.js';
import { manifestFileOf, signUpdateManifest, updateManifestText, type UpdateManifest } from './update-manifest.js';

const releaseKey = generateSigningKeyPair();
const trusted = [trustedKeyFromPem(releaseKey.publicKeyPem)];
const installer = manifestFileOf('Wardline-Setup-1.4.0.exe', Buffer.from('installer bytes'));
const on: UpdatePolicy = { enabled: true, channel: 'stable', url: 'https://updates.hospital.example/wardline/' };

/** A day after the manifest below was signed, well before it expires. */
const NOW = new Date('2025-03-02T09:00:00Z');

function manifest(overrides: Partial<UpdateManifest> = {}): UpdateManifest {
  return {
    wardlineUpdate: 1,
    version: '1.4.0',
    channel: 'stable',
    releaseDate: '2025-03-01T09:00:00Z',
    expires: '2025-03-15T09:00:00Z',
    files: [installer],
    ...overrides,
  };
}

function published(m: UpdateManifest, key = releaseKey): { manifestBytes: Buffer; signatureText: string; now: Date } {
  const manifestBytes = Buffer.from(updateManifestText(m));
  return { manifestBytes, signatureText: signUpdateManifest(manifestBytes, signingKeyFromPem(key.privateKeyPem), key.keyId), now: NOW };
}

describe('deciding on an update', () => {
  it('takes a newer version signed by the release key', () => {
    const decision = decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...published(manifest()) });
    expect(decision).toEqual({ action: 'download', version: '1.4.0', files: [installer], releaseDate: '2025-03-01T09:00:00Z' });
  });

  it('does nothing, without looking at any manifest, when IT turned updates off', () => {
    const decision = decideUpdate({
      policy: { enabled: false },
      currentVersion: '1.3.2',
      trustedKeys: [],
      manifestBytes: Buffer.from('garbage'),
      signatureText: null,
      now: NOW,
    });
    expect(decision).toEqual({ action: 'none', reason: 'disabled-by-policy' });
  });

  it('does nothing when the signed version is the one running', () => {
    expect(decideUpdate({ policy: on, currentVersion: '1.4.0', trustedKeys: trusted, ...published(manifest()) })).toEqual({
      action: 'none',
      reason: 'up-to-date',
      releaseDate: '2025-03-01T09:00:00Z',
    });
  });

  it('refuses an unsigned manifest', () => {
    const { manifestBytes, now } = published(manifest());
    expect(() =>
      decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, manifestBytes, signatureText: null, now }),
    ).toThrow(expect.objectContaining({ code: 'MANIFEST_NOT_SIGNED' }));
    expect(() =>
      decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, manifestBytes, signatureText: 'not json', now }),
    ).toThrow(expect.objectContaining({ code: 'MANIFEST_NOT_SIGNED' }));
  });

  it('refuses a manifest changed after signing (a swapped installer hash, a bumped version)', () => {
    const { manifestBytes, signatureText, now } = published(manifest());
    const evilHash = manifestFileOf('Wardline-Setup-1.4.0.exe', Buffer.from('malware')).sha512;
    const swapped = Buffer.from(manifestBytes.toString('utf8').replace(installer.sha512, evilHash));
    expect(swapped.equals(manifestBytes)).toBe(false);
    expect(() =>
      decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, manifestBytes: swapped, signatureText, now }),
    ).toThrow(expect.objectContaining({ code: 'MANIFEST_SIGNATURE_INVALID' }));
    const bumped = Buffer.from(manifestBytes.toString('utf8').replace('"1.4.0"', '"9.9.9"'));
    expect(() =>
      decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, manifestBytes: bumped, signatureText, now }),
    ).toThrow(expect.objectContaining({ code: 'MANIFEST_SIGNATURE_INVALID' }));
  });

  it("refuses a manifest signed with another key, even one claiming the release key's id", () => {
    const stranger = generateSigningKeyPair();
    expect(() => decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...published(manifest(), stranger) })).toThrow(
      expect.objectContaining({ code: 'MANIFEST_UNTRUSTED_KEY' }),
    );
    const manifestBytes = Buffer.from(updateManifestText(manifest()));
    const forged = signUpdateManifest(manifestBytes, signingKeyFromPem(stranger.privateKeyPem), releaseKey.keyId);
    expect(() =>
      decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, manifestBytes, signatureText: forged, now: NOW }),
    ).toThrow(expect.objectContaining({ code: 'MANIFEST_SIGNATURE_INVALID' }));
  });

  it('refuses an older version, even properly signed (a downgrade to a version with known flaws)', () => {
    expect(() => decideUpdate({ policy: on, currentVersion: '1.4.1', trustedKeys: trusted, ...published(manifest()) })).toThrow(
      expect.objectContaining({ code: 'DOWNGRADE', message: expect.stringContaining('older than the 1.4.1') }),
    );
    expect(() =>
      decideUpdate({ policy: on, currentVersion: '1.4.0', trustedKeys: trusted, ...published(manifest({ version: '1.4.0-rc.1' })) }),
    ).toThrow(expect.objectContaining({ code: 'DOWNGRADE' }));
  });

  it('refuses a signed manifest of another channel', () => {
    expect(() =>
      decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...published(manifest({ channel: 'beta' })) }),
    ).toThrow(expect.objectContaining({ code: 'WRONG_CHANNEL' }));
  });

  it('refuses a signed manifest once it has expired, so an old "you are up to date" cannot freeze updates', () => {
    const old = published(manifest({ version: '1.3.2' }));
    const check = { policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...old };
    expect(decideUpdate({ ...check, now: new Date('2025-03-15T08:59:59Z') })).toMatchObject({ action: 'none', reason: 'up-to-date' });
    for (const now of [new Date('2025-03-15T09:00:00Z'), new Date('2026-01-01T00:00:00Z')]) {
      expect(() => decideUpdate({ ...check, now })).toThrow(
        expect.objectContaining({ code: 'MANIFEST_EXPIRED', message: expect.stringContaining('expired on 2025-03-15T09:00:00Z') }),
      );
    }
  });

  it('refuses a manifest signed before the newest one this workstation took (a replay), but takes the same or a newer one', () => {
    const newest = '2025-03-01T09:00:00Z';
    const replayed = published(manifest({ version: '1.3.9', releaseDate: '2025-02-20T09:00:00Z', expires: '2025-03-10T09:00:00Z' }));
    expect(() => decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...replayed, newestAccepted: newest })).toThrow(
      expect.objectContaining({ code: 'MANIFEST_REPLAYED' }),
    );
    expect(decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...replayed, newestAccepted: null })).toMatchObject({
      action: 'download',
      version: '1.3.9',
    });
    expect(
      decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...published(manifest()), newestAccepted: newest }),
    ).toMatchObject({ action: 'download', version: '1.4.0' });
  });

  it('will not sign, nor accept, a manifest without an expiry, or valid for longer than the maximum', () => {
    expect(() => updateManifestText(manifest({ expires: '2025-04-02T09:00:01Z' }))).toThrow(
      expect.objectContaining({ code: 'MANIFEST_INVALID' }),
    );
    expect(() => updateManifestText(manifest({ expires: '2025-03-01T09:00:00Z' }))).toThrow(
      expect.objectContaining({ code: 'MANIFEST_INVALID' }),
    );
    expect(updateManifestText(manifest({ expires: '2025-04-01T09:00:00Z' }))).toContain('"expires": "2025-04-01T09:00:00Z"');
    for (const text of [
      JSON.stringify({ ...manifest(), expires: undefined }),
      JSON.stringify({ ...manifest(), expires: '2027-01-01T00:00:00Z' }),
    ]) {
      const manifestBytes = Buffer.from(text);
      const signatureText = signUpdateManifest(manifestBytes, signingKeyFromPem(releaseKey.privateKeyPem), releaseKey.keyId);
      expect(() =>
        decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, manifestBytes, signatureText, now: NOW }),
      ).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID' }));
    }
  });

  it('refuses everything when the installation trusts no release key', () => {
    expect(() => decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: [], ...published(manifest()) })).toThrow(
      expect.objectContaining({ code: 'NO_TRUSTED_KEYS' }),
    );
  });

  it('lets electron-updater download only the signed installers', () => {
    const decision = decideUpdate({ policy: on, currentVersion: '1.3.2', trustedKeys: trusted, ...published(manifest()) });
    if (decision.action !== 'download') throw new Error('expected a download');
    expect(() =>
      assertOfferMatchesManifest({ version: '1.4.0', files: [{ url: 'Wardline-Setup-1.4.0.exe', sha512: installer.sha512 }] }, decision),
    ).not.toThrow();
    expect(() =>
      assertOfferMatchesManifest(
        {
          version: '1.4.0',
          files: [{ url: 'https://updates.hospital.example/wardline/Wardline-Setup-1.4.0.exe', sha512: installer.sha512 }],
        },
        decision,
      ),
    ).not.toThrow();
    const bad = [
      { version: '1.5.0', files: [{ url: 'Wardline-Setup-1.4.0.exe', sha512: installer.sha512 }] },
      { version: '1.4.0', files: [{ url: 'Wardline-Setup-1.4.0.exe', sha512: manifestFileOf('x', Buffer.from('other')).sha512 }] },
      { version: '1.4.0', files: [{ url: 'Other.exe', sha512: installer.sha512 }] },
      { version: '1.4.0', files: [] },
    ];
    for (const offer of bad)
      expect(() => assertOfferMatchesManifest(offer, decision)).toThrow(expect.objectContaining({ code: 'UPDATE_MISMATCH' }));
  });

  it('will not write a manifest listing a file with a path in its name', () => {
    expect(() => updateManifestText(manifest({ files: [{ ...installer, url: '../../evil.exe' }] }))).toThrow(
      expect.objectContaining({ code: 'MANIFEST_INVALID' }),
    );
  });
});
