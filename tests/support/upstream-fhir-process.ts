// The test upstream EHR in its own process (upstream-fhir-child.ts), reached over loopback HTTPS as
// the hub reaches a real EHR on another machine: the engine's and the upstream's TLS work is not
// the hub's CPU. Same server as startUpstreamFhirServer, driven over IPC; for the bench.
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JWK } from 'jose';
import type { GenerateWardOptions } from '../../shared/synthetic/index.js';

/** What the bench asks of the upstream's process. */
export type UpstreamChildCall =
  | { readonly op: 'loadWard'; readonly ward: GenerateWardOptions }
  | { readonly op: 'registerClient'; readonly clientId: string; readonly publicJwk: JWK }
  | { readonly op: 'replayReads'; readonly on: boolean }
  | { readonly op: 'engineMs' }
  | { readonly op: 'cpuMicros' }
  | { readonly op: 'stop' };

export type UpstreamChildRequest = UpstreamChildCall & { readonly id: number };

export interface UpstreamChildReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

export interface UpstreamFhirProcess {
  /** FHIR base, `https://127.0.0.1:{port}/fhir/R4`. */
  readonly baseUrl: string;
  /** The certificate to trust (self-signed). */
  readonly caPem: string;
  /** Loads the seeded synthetic ward (generateWard with these options); resolves to its resource count. */
  loadWard(ward: GenerateWardOptions): Promise<number>;
  registerClient(clientId: string, publicJwk: JWK): Promise<void>;
  /** See UpstreamFhirServer.replayReads. */
  replayReads(on: boolean): Promise<void>;
  /** Milliseconds spent so far inside the engine. */
  engineMs(): Promise<number>;
  /** CPU time (user + system) of the upstream's process so far, in µs. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export async function startUpstreamFhirProcess(): Promise<UpstreamFhirProcess> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'upstream-fhir-child.ts');
  const child: ChildProcess = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited = false;
  child.on('message', (reply: UpstreamChildReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.error !== undefined) waiting?.reject(new Error(`test upstream: ${reply.error}`));
    else waiting?.resolve(reply.result);
  });
  child.on('exit', (code, signal) => {
    exited = true;
    for (const waiting of pending.values()) waiting.reject(new Error(`the test upstream's process ended (${code ?? signal})`));
    pending.clear();
  });
  const started = await new Promise<{ baseUrl: string; caPem: string }>((resolve, reject) => {
    pending.set(0, { resolve: (value) => resolve(value as { baseUrl: string; caPem: string }), reject });
  });
  const call = <T>(request: UpstreamChildCall): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error("the test upstream's process has ended"));
      const id = nextId++;
      pending.set(id, { resolve: (value) => resolve(value as T), reject });
      child.send({ ...request, id });
    });
  return {
    ...started,
    loadWard: (ward) => call<number>({ op: 'loadWard', ward }),
    registerClient: (clientId, publicJwk) => call<void>({ op: 'registerClient', clientId, publicJwk }),
    replayReads: (on) => call<void>({ op: 'replayReads', on }),
    engineMs: () => call<number>({ op: 'engineMs' }),
    cpuMicros: () => call<number>({ op: 'cpuMicros' }),
    async stop() {
      if (exited) return;
      const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call<void>({ op: 'stop' }).catch(() => undefined);
      child.disconnect();
      await ended;
    },
  };
}
