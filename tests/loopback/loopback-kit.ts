// Shared setup of the loopback tests: a workstation host (real vault and audit trail, a scripted
// hub sign-in) served by the real loopback server from a tiny stand-in renderer, and clients that
// speak raw HTTP (paths exactly as written, no normalising) and real WebSockets (`ws`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { openWorkstationHost, type WorkstationHost } from '../../electron/host/index.js';
import { openLoopbackServer, type LoopbackServer } from '../../electron/loopback/index.js';
import { verifyPolicyText } from '../../electron/policy/index.js';
import { examplePolicyDraft, testOrganisation } from '../../electron/policy/test-helpers.js';
import { ControllablePowerEvents } from '../../electron/session/index.js';
import { CHEAP_HASHING, ScriptedHubLogin, TEST_WARD, wardStaff, type HubAccount } from '../../electron/session/test-helpers.js';
import { createKeytarCustodian, createVault, keyNameFor, wipeVault } from '../../electron/vault/index.js';

export interface LoopbackHost {
  readonly server: LoopbackServer;
  readonly host: WorkstationHost;
  readonly staff: HubAccount[];
  logs(): string;
  close(): Promise<void>;
}

/** A renderer "build" of two files, enough to test what the server serves and refuses. */
export function standInRenderer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wardline-loopback-site-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Wardline</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'export {};\n');
  writeFileSync(join(dir, '.secret'), 'not for the browser');
  return dir;
}

export async function startLoopbackHost(): Promise<LoopbackHost> {
  const site = standInRenderer();
  const dataDir = mkdtempSync(join(tmpdir(), 'wardline-loopback-ws-'));
  const custodian = createKeytarCustodian();
  const vault = await createVault({ dataDir, custodian, ward: TEST_WARD });
  vault.close();
  const org = testOrganisation();
  const policy = verifyPolicyText(org.sign({ ...examplePolicyDraft(), ward: TEST_WARD }), [org.trusted]);
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const server = await openLoopbackServer({ rendererDir: site, logger });
  const staff = wardStaff();
  const host = await openWorkstationHost({
    dataDir,
    policy,
    custodian,
    powerEvents: new ControllablePowerEvents(),
    transport: server.transport,
    isTrustedSender: server.isTrustedSender,
    logger,
    hubLogin: new ScriptedHubLogin(staff),
    hashing: CHEAP_HASHING,
  });
  return {
    server,
    host,
    staff,
    logs: () => lines.join(''),
    async close() {
      await host.close();
      await server.close();
      await wipeVault({ dataDir, custodian });
      await custodian.destroy(keyNameFor(dataDir, 'audit')).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(site, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request with the path sent exactly as given (traversal attempts reach the server unchanged). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Opens a browser session with a one-time URL; returns the Cookie header value. */
export async function sessionCookieFrom(url: string): Promise<string> {
  const { port, pathname, search } = new URL(url);
  const response = await rawGet(Number(port), `${pathname}${search}`);
  if (response.status !== 303) throw new Error(`the one-time URL answered ${response.status}`);
  const setCookie = response.headers['set-cookie']?.[0];
  if (setCookie === undefined) throw new Error('no session cookie was set');
  return setCookie.split(';')[0]!;
}

export type SocketOutcome = { readonly opened: WebSocket } | { readonly refused: number };

/** Tries the /ipc WebSocket with the given cookie and Origin. */
export function trySocket(
  port: number,
  options: { cookie?: string; origin?: string; path?: string; host?: string } = {},
): Promise<SocketOutcome> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (options.cookie !== undefined) headers.cookie = options.cookie;
    if (options.host !== undefined) headers.host = options.host;
    const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ipc'}`, {
      headers,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    socket.once('open', () => resolve({ opened: socket }));
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refused: response.statusCode ?? 0 });
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** A client speaking the loopback frames: invoke → reply by id; events collected. */
export class FrameClient {
  readonly events: unknown[] = [];
  readonly #replies = new Map<number, (reply: unknown) => void>();
  #nextId = 1;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; id?: number; reply?: unknown; message?: unknown };
      if (frame.type === 'event') this.events.push(frame.message);
      if (frame.type === 'reply' && frame.id !== undefined) this.#replies.get(frame.id)?.(frame.reply);
    });
  }

  invoke(channel: string, request: unknown = {}): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#replies.set(id, resolve as (reply: unknown) => void);
      this.socket.send(JSON.stringify({ id, type: 'invoke', message: { channel, request } }));
    });
  }

  closed(): Promise<number> {
    return new Promise((resolve) => {
      if (this.socket.readyState === WebSocket.CLOSED) resolve(1006);
      else this.socket.once('close', (code) => resolve(code));
    });
  }
}
