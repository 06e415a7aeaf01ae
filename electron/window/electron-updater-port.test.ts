import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { UpdateCheckResult, UpdateDownloadedEvent } from 'electron-updater';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../host/index.js';
import { generateSigningKeyPair, signingKeyFromPem, trustedKeyFromPem } from '../policy/index.js';
import { manifestFileOf, runUpdateCheck, signUpdateManifest, updateManifestText } from '../updates/index.js';
import { electronUpdaterPort, type AppUpdaterLike } from './electron-updater-port.js';
import { MAX_UPDATE_FILE_BYTES, sessionUpdateFetch } from './update-feed-fetch.js';

const INSTALLER = 'Wardline-Setup-1.4.0.exe';
const signedBytes = Buffer.from('the signed installer');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * electron-updater's AppUpdater as far as Wardline drives it, with its documented behaviour: a
 * download emits update-downloaded, and registers the install-at-quit only if autoInstallOnAppQuit
 * is set when the download completes (BaseUpdater.addQuitHandler).
 */
class FakeAppUpdater extends EventEmitter {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  allowPrerelease = true;
  disableWebInstaller = false;
  logger: unknown = console;
  feed: unknown = null;
  installsAtQuit = false;
  downloads = 0;
  constructor(
    private readonly offered: { version: string; sha512: string },
    private readonly bytes: Buffer,
  ) {
    super();
  }
  setFeedURL(options: unknown): void {
    this.feed = options;
  }
  async checkForUpdates(): Promise<UpdateCheckResult | null> {
    const updateInfo = {
      version: this.offered.version,
      files: [{ url: INSTALLER, sha512: this.offered.sha512, size: 20 }],
      path: INSTALLER,
      sha512: this.offered.sha512,
      releaseDate: '2025-03-01T09:00:00Z',
    };
    return {
      isUpdateAvailable: true,
      updateInfo,
      versionInfo: updateInfo,
      downloadPromise: this.autoDownload ? Promise.resolve([]) : null,
    };
  }
  async downloadUpdate(): Promise<string[]> {
    this.downloads += 1;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wardline-updater-'));
    dirs.push(dir);
    const file = path.join(dir, INSTALLER);
    writeFileSync(file, this.bytes);
    const event = {
      version: this.offered.version,
      files: [],
      path: INSTALLER,
      sha512: this.offered.sha512,
      releaseDate: '',
      downloadedFile: file,
    } as UpdateDownloadedEvent;
    this.emit('update-downloaded', event);
    if (this.autoInstallOnAppQuit) this.installsAtQuit = true;
    return [file];
  }
}

const releaseKey = generateSigningKeyPair();
function signedFeed(): (url: string) => Promise<Buffer | null> {
  const manifest = Buffer.from(
    updateManifestText({
      wardlineUpdate: 1,
      version: '1.4.0',
      channel: 'stable',
      releaseDate: '2025-03-01T09:00:00Z',
      expires: '2025-03-15T09:00:00Z',
      files: [manifestFileOf(INSTALLER, signedBytes)],
    }),
  );
  const signature = Buffer.from(signUpdateManifest(manifest, signingKeyFromPem(releaseKey.privateKeyPem), releaseKey.keyId));
  return async (url) => (url.endsWith('.json') ? manifest : url.endsWith('.sig') ? signature : null);
}

function check(updater: FakeAppUpdater) {
  return runUpdateCheck({
    policy: { enabled: true, channel: 'stable', url: 'https://updates.hospital.example/wardline/' },
    currentVersion: '1.3.2',
    trustedKeys: [trustedKeyFromPem(releaseKey.publicKeyPem)],
    updater: electronUpdaterPort(updater as unknown as AppUpdaterLike, silentLogger()),
    fetchFile: signedFeed(),
    clock: { now: () => Date.parse('2025-03-02T09:00:00Z') },
  });
}

describe('electron-updater behind the Updater port', () => {
  it("uses the generic feed at the policy's URL and channel, and never downloads, downgrades or installs by itself", async () => {
    const updater = new FakeAppUpdater({ version: '1.4.0', sha512: manifestFileOf(INSTALLER, signedBytes).sha512 }, signedBytes);
    await expect(check(updater)).resolves.toEqual({ status: 'ready', version: '1.4.0' });
    expect(updater.feed).toEqual({ provider: 'generic', url: 'https://updates.hospital.example/wardline/', channel: 'stable' });
    expect(updater).toMatchObject({ autoDownload: false, allowDowngrade: false, allowPrerelease: false, disableWebInstaller: true });
    expect(updater.installsAtQuit).toBe(true);
    expect(updater.listenerCount('update-downloaded')).toBe(0);
    expect(() => updater.emit('error', new Error('install failed at quit'))).not.toThrow();
  });

  it('leaves a download that does not hash to the signed manifest uninstalled, even when latest.yml vouches for it', async () => {
    const tampered = Buffer.from('a swapped installer');
    const updater = new FakeAppUpdater({ version: '1.4.0', sha512: manifestFileOf(INSTALLER, signedBytes).sha512 }, tampered);
    await expect(check(updater)).rejects.toMatchObject({ code: 'UPDATE_MISMATCH' });
    expect(updater.downloads).toBe(1);
    expect(updater.installsAtQuit).toBe(false);
    expect(updater.autoInstallOnAppQuit).toBe(false);
  });

  it('downloads nothing when latest.yml offers an installer the signed manifest does not list', async () => {
    const updater = new FakeAppUpdater({ version: '1.4.0', sha512: manifestFileOf(INSTALLER, Buffer.from('other')).sha512 }, signedBytes);
    await expect(check(updater)).rejects.toMatchObject({ code: 'UPDATE_MISMATCH' });
    expect(updater.downloads).toBe(0);
  });
});

describe("fetching the signed manifest through the updater's session", () => {
  const session = (respond: (url: string) => Response | Promise<Response>) => {
    const asked: string[] = [];
    return {
      asked,
      fetch: async (url: string | Request) => {
        asked.push(String(url));
        return respond(String(url));
      },
    };
  };

  it('returns the bytes, null for a file the server does not have, and refuses other answers', async () => {
    const fake = session((url) =>
      url.endsWith('.sig')
        ? new Response('missing', { status: 404 })
        : url.includes('broken')
          ? new Response('oops', { status: 500 })
          : new Response('{"manifest":1}'),
    );
    const fetchFile = sessionUpdateFetch(fake as never);
    expect((await fetchFile('https://updates.hospital.example/wardline/wardline-update.json'))?.toString()).toBe('{"manifest":1}');
    expect(await fetchFile('https://updates.hospital.example/wardline/wardline-update.json.sig')).toBeNull();
    await expect(fetchFile('https://updates.hospital.example/broken/wardline-update.json')).rejects.toMatchObject({
      code: 'MANIFEST_UNAVAILABLE',
      message: expect.stringContaining('HTTP 500'),
    });
  });

  it('refuses anything but HTTPS without asking, an oversized answer, and reports a refused certificate as unreachable', async () => {
    const fake = session(() => new Response(Buffer.alloc(MAX_UPDATE_FILE_BYTES + 1)));
    await expect(sessionUpdateFetch(fake as never)('http://updates.hospital.example/wardline-update.json')).rejects.toMatchObject({
      code: 'MANIFEST_UNAVAILABLE',
    });
    expect(fake.asked).toEqual([]);
    await expect(sessionUpdateFetch(fake as never)('https://updates.hospital.example/wardline-update.json')).rejects.toMatchObject({
      code: 'MANIFEST_INVALID',
    });
    const refused = session(() => Promise.reject(new Error('net::ERR_FAILED')));
    await expect(sessionUpdateFetch(refused as never)('https://evil.example/wardline-update.json')).rejects.toMatchObject({
      code: 'MANIFEST_UNAVAILABLE',
      message: expect.stringContaining('certificate'),
    });
  });
});
