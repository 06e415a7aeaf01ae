import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSigningKeyPair, signingKeyFromPem, trustedKeyFromPem, type UpdatePolicy } from '../policy/index.js';
import { FakeClock } from '../session/index.js';
import type { OfferedUpdate } from './update-decision.js';
import { runUpdateCheck, sha512OfFile, type UpdateFlowOptions } from './update-flow.js';
import { manifestFileOf, signUpdateManifest, updateManifestText, type UpdateManifest } from './update-manifest.js';
import { startUpdateService } from './update-service.js';
import type { DownloadedUpdate, Updater } from './updater-port.js';

const releaseKey = generateSigningKeyPair();
const trusted = [trustedKeyFromPem(releaseKey.publicKeyPem)];
const FEED = 'https://updates.hospital.example/wardline/';
const on: UpdatePolicy = { enabled: true, channel: 'stable', url: 'https://updates.hospital.example/wardline' };
const INSTALLER = 'Wardline-Setup-1.4.0.exe';
const installerBytes = Buffer.from('the real signed installer');
const installer = manifestFileOf(INSTALLER, installerBytes);

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function downloadedFile(bytes: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-update-'));
  dirs.push(dir);
  const file = path.join(dir, INSTALLER);
  writeFileSync(file, bytes);
  return file;
}

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
/** A day after the manifest above was signed. */
const aDayAfterRelease = (): FakeClock => new FakeClock(Date.parse('2025-03-02T09:00:00Z'));

/** The update server: wardline-update.json and its .sig (or not), and what was asked of it. */
function server(files: { manifest?: Buffer; signature?: string }) {
  const asked: string[] = [];
  const fetchFile = async (url: string): Promise<Buffer | null> => {
    asked.push(url);
    if (url === `${FEED}wardline-update.json`) return files.manifest ?? null;
    if (url === `${FEED}wardline-update.json.sig`) return files.signature === undefined ? null : Buffer.from(files.signature);
    return null;
  };
  return { asked, fetchFile };
}

function signed(m: UpdateManifest, key = releaseKey) {
  const bytes = Buffer.from(updateManifestText(m));
  return { manifest: bytes, signature: signUpdateManifest(bytes, signingKeyFromPem(key.privateKeyPem), key.keyId) };
}

/** electron-updater as the flow sees it: what latest.yml offers and what a download produces. */
class FakeUpdater implements Updater {
  readonly calls: string[] = [];
  feed: { url: string; channel: string } | null = null;
  installsAtQuit = false;
  constructor(
    private readonly offer: OfferedUpdate | null,
    private readonly downloaded: () => DownloadedUpdate,
  ) {}
  configure(feed: { url: string; channel: string }): void {
    this.calls.push('configure');
    this.feed = feed;
  }
  async check(): Promise<OfferedUpdate | null> {
    this.calls.push('check');
    return this.offer;
  }
  async download(): Promise<DownloadedUpdate> {
    this.calls.push('download');
    return this.downloaded();
  }
  async installAtQuit(): Promise<void> {
    this.calls.push('installAtQuit');
    this.installsAtQuit = true;
  }
}

const honestOffer: OfferedUpdate = { version: '1.4.0', files: [{ url: INSTALLER, sha512: installer.sha512 }] };
const honestUpdater = () => new FakeUpdater(honestOffer, () => ({ version: '1.4.0', files: [downloadedFile(installerBytes)] }));

function flow(updater: Updater, files: { manifest?: Buffer; signature?: string }, overrides: Partial<UpdateFlowOptions> = {}) {
  const feed = server(files);
  return {
    feed,
    run: () =>
      runUpdateCheck({
        policy: on,
        currentVersion: '1.3.2',
        trustedKeys: trusted,
        updater,
        fetchFile: feed.fetchFile,
        clock: aDayAfterRelease(),
        ...overrides,
      }),
  };
}

describe('an update check', () => {
  it('downloads a newer signed release, checks the installer against the signed hash, and installs it at the next quit', async () => {
    const updater = honestUpdater();
    const { run, feed } = flow(updater, signed(manifest()));
    await expect(run()).resolves.toEqual({ status: 'ready', version: '1.4.0' });
    expect(feed.asked).toEqual([`${FEED}wardline-update.json`, `${FEED}wardline-update.json.sig`]);
    expect(updater.feed).toEqual({ url: FEED, channel: 'stable' });
    expect(updater.calls).toEqual(['configure', 'check', 'download', 'installAtQuit']);
    expect(updater.installsAtQuit).toBe(true);
  });

  it('asks nothing of the network or the updater when IT turned updates off', async () => {
    const updater = honestUpdater();
    const { run, feed } = flow(updater, signed(manifest()), { policy: { enabled: false } });
    await expect(run()).resolves.toEqual({ status: 'disabled' });
    expect(feed.asked).toEqual([]);
    expect(updater.calls).toEqual([]);
  });

  it('does not touch the updater when the signed version is the one running', async () => {
    const updater = honestUpdater();
    await expect(flow(updater, signed(manifest()), { currentVersion: '1.4.0' }).run()).resolves.toEqual({
      status: 'up-to-date',
      version: '1.4.0',
    });
    expect(updater.calls).toEqual([]);
  });

  it('refuses, before any download, an unsigned, tampered, foreign-key or older manifest, and a missing one', async () => {
    const cases: Array<[{ manifest?: Buffer; signature?: string }, string, Partial<UpdateFlowOptions>?]> = [
      [{ manifest: signed(manifest()).manifest }, 'MANIFEST_NOT_SIGNED'],
      [{ ...signed(manifest()), manifest: Buffer.from(updateManifestText(manifest({ version: '9.9.9' }))) }, 'MANIFEST_SIGNATURE_INVALID'],
      [signed(manifest(), generateSigningKeyPair()), 'MANIFEST_UNTRUSTED_KEY'],
      [signed(manifest()), 'DOWNGRADE', { currentVersion: '1.5.0' }],
      [signed(manifest({ channel: 'beta' })), 'WRONG_CHANNEL'],
      [{}, 'MANIFEST_UNAVAILABLE'],
    ];
    for (const [files, code, overrides] of cases) {
      const updater = honestUpdater();
      await expect(flow(updater, files, overrides).run()).rejects.toMatchObject({ name: 'UpdateError', code });
      expect(updater.calls).toEqual([]);
    }
  });

  it('refuses, before any download, a feed (latest.yml) that offers another version or another installer', async () => {
    const offers: OfferedUpdate[] = [
      { version: '1.5.0', files: [{ url: INSTALLER, sha512: installer.sha512 }] },
      { version: '1.4.0', files: [{ url: INSTALLER, sha512: manifestFileOf(INSTALLER, Buffer.from('malware')).sha512 }] },
    ];
    for (const offer of offers) {
      const updater = new FakeUpdater(offer, () => ({ version: '1.4.0', files: [downloadedFile(installerBytes)] }));
      await expect(flow(updater, signed(manifest())).run()).rejects.toMatchObject({ code: 'UPDATE_MISMATCH' });
      expect(updater.calls).toEqual(['configure', 'check']);
    }
  });

  it('never installs a download whose bytes or version are not the signed ones', async () => {
    const downloads: Array<() => DownloadedUpdate> = [
      () => ({ version: '1.4.0', files: [downloadedFile(Buffer.from('swapped on the way'))] }),
      () => ({ version: '1.4.1', files: [downloadedFile(installerBytes)] }),
      () => ({ version: '1.4.0', files: [] }),
    ];
    for (const downloaded of downloads) {
      const updater = new FakeUpdater(honestOffer, downloaded);
      await expect(flow(updater, signed(manifest())).run()).rejects.toMatchObject({
        code: 'UPDATE_MISMATCH',
        message: expect.stringContaining('will not be installed'),
      });
      expect(updater.installsAtQuit).toBe(false);
    }
  });

  it('waits when the signed release is not offered by the feed yet', async () => {
    const updater = new FakeUpdater(null, () => ({ version: '', files: [] }));
    await expect(flow(updater, signed(manifest())).run()).resolves.toEqual({ status: 'not-offered', version: '1.4.0' });
    expect(updater.calls).toEqual(['configure', 'check']);
  });

  it('hashes a downloaded file as electron-builder does (SHA-512, base64)', async () => {
    expect(await sha512OfFile(downloadedFile(installerBytes))).toBe(installer.sha512);
  });
});

describe('update checks over time', () => {
  const quietLogger = () => {
    const lines: Array<{ level: string; fields: Record<string, unknown> }> = [];
    const at = (level: string) => (fields: Record<string, unknown>) => void lines.push({ level, fields });
    return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error') } as never };
  };

  it('refuses, for the rest of the run, a manifest older than one it already took (a mirror replaying last month)', async () => {
    const clock = aDayAfterRelease();
    const current = signed(manifest({ version: '1.3.2' }));
    const lastMonth = signed(manifest({ version: '1.3.2', releaseDate: '2025-02-25T09:00:00Z', expires: '2025-03-20T09:00:00Z' }));
    const files: { manifest?: Buffer; signature?: string } = { ...current };
    const { lines, logger } = quietLogger();
    const service = startUpdateService({
      policy: on,
      currentVersion: '1.3.2',
      trustedKeys: trusted,
      updater: honestUpdater(),
      fetchFile: (url) => server(files).fetchFile(url),
      logger,
      clock,
      scheduler: clock,
    });
    expect(await service.checkNow()).toEqual({ status: 'up-to-date', version: '1.3.2' });
    Object.assign(files, lastMonth);
    expect(await service.checkNow()).toBeNull();
    expect(lines).toContainEqual({ level: 'warn', fields: { event: 'update.refused', code: 'MANIFEST_REPLAYED' } });
    Object.assign(files, current);
    clock.advance(14 * 86_400_000);
    expect(await service.checkNow()).toBeNull();
    expect(lines).toContainEqual({ level: 'warn', fields: { event: 'update.refused', code: 'MANIFEST_EXPIRED' } });
    service.stop();
  });

  it('schedules nothing when updates are off', () => {
    const clock = new FakeClock();
    const { logger } = quietLogger();
    const service = startUpdateService({
      policy: { enabled: false },
      currentVersion: '1.3.2',
      trustedKeys: trusted,
      updater: honestUpdater(),
      fetchFile: server({}).fetchFile,
      logger,
      clock,
      scheduler: clock,
    });
    expect(clock.pendingTasks()).toBe(0);
    service.stop();
  });

  it('checks a while after start, logs a refusal by its code, tries again later, and stops once an update is ready', async () => {
    const clock = aDayAfterRelease();
    const files: { manifest?: Buffer; signature?: string } = { manifest: signed(manifest()).manifest };
    const feed = { fetchFile: (url: string) => server(files).fetchFile(url) };
    const { lines, logger } = quietLogger();
    const updater = honestUpdater();
    const service = startUpdateService({
      policy: on,
      currentVersion: '1.3.2',
      trustedKeys: trusted,
      updater,
      fetchFile: feed.fetchFile,
      logger,
      clock,
      scheduler: clock,
      firstCheckAfterMs: 60_000,
      intervalMs: 3_600_000,
    });
    expect(clock.pendingTasks()).toBe(1);
    expect(await service.checkNow()).toBeNull();
    expect(lines).toContainEqual({ level: 'warn', fields: { event: 'update.refused', code: 'MANIFEST_NOT_SIGNED' } });
    expect(clock.pendingTasks()).toBe(1);
    Object.assign(files, signed(manifest()));
    expect(await service.checkNow()).toEqual({ status: 'ready', version: '1.4.0' });
    expect(clock.pendingTasks()).toBe(0);
    service.stop();
  });
});
