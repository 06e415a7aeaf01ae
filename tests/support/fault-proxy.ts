// A small HTTPS proxy between a workstation and the test hub that injects faults: connections
// dropped at once, requests that stall, 5xx answers the hub never gave, and answers cut off in the
// middle of the body (after the hub did the work). It terminates TLS with its own development
// certificate, so a workstation talking through it pins the proxy's certificate (`pin`).
//
//   const proxy = await startFaultProxy({ hubUrl: hub.url, hubCaPem: hub.caPem });
//   proxy.setFaults({ drop: 0.1, stall: 0.05, error5xx: 0.1, cut: 0.1, cutAfterForward: 0.1 });
//   proxy.setFaults(null); // pass everything through
//   proxy.setFaults({ drop: 1 }, (path) => path.startsWith('/audit/checkpoint')); // faults on those paths only
//   proxy.setFaults((path) => (path === '/fhir' ? { cutAfterForward: 1 } : { drop: 1 })); // faults by path
// With `rewritePath`, every forwarded request's path goes through it (e.g. to play a hub that
// ignores a parameter, or to note what was asked). `setAnswerRewrite` plays a hub whose 2xx answers
// differ from what the hub sent (e.g. a Bundle of the wrong shape): it gets the request's path and
// the hub's body, and returns the body to send instead (or null to send the hub's). `setAnswerGate`
// decides, once the hub has answered (its work done), whether the workstation hears the answer:
// 'withhold' keeps it from the workstation for good, as a power cut at that moment would (e.g. to
// kill a process at a point it cannot run past: `wardline audit upload` after the hub stored a batch).
import { createServer, type Server } from 'node:https';
import { Agent, request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createDevCertificate, spkiPin } from '../../server/tls/index.js';

export interface FaultRates {
  /** Close the connection as soon as a request arrives (nothing reaches the hub). */
  readonly drop?: number;
  /** Hold the request without answering (the workstation must time out). */
  readonly stall?: number;
  /** Answer 503 (OperationOutcome) without asking the hub. */
  readonly error5xx?: number;
  /** Forward to the hub, then send the status, headers and half the body, and close. */
  readonly cut?: number;
  /** Forward to the hub (it does the work), then close without answering. */
  readonly cutAfterForward?: number;
}

export interface FaultProxy {
  /** `https://127.0.0.1:{port}` */
  readonly url: string;
  readonly pin: string;
  readonly caPem: string;
  /** `only`: the request paths the faults apply to (default: every path). */
  /** `rates` may be a function of the request path (null: pass). */
  setFaults(rates: FaultRates | ((path: string) => FaultRates | null) | null, only?: (path: string) => boolean): void;
  setAnswerRewrite(rewrite: AnswerRewrite | null): void;
  setAnswerGate(gate: AnswerGate | null): void;
  /** How many requests met each fault so far. */
  readonly injected: Record<'drop' | 'stall' | 'error5xx' | 'cut' | 'cutAfterForward' | 'passed', number>;
  stop(): Promise<void>;
}

type Fault = keyof FaultRates | 'pass';

/** The body to send instead of the hub's 2xx answer to `path`, or null to send the hub's. */
export type AnswerRewrite = (path: string, answer: Buffer) => Buffer | null;

/** Asked after the hub answered `path` (its work done): whether the workstation gets the answer. */
export type AnswerGate = (path: string) => Promise<'send' | 'withhold'>;

export async function startFaultProxy(options: {
  hubUrl: string;
  hubCaPem: string;
  random?: () => number;
  rewritePath?: (path: string) => string;
}): Promise<FaultProxy> {
  const random = options.random ?? Math.random;
  const tls = createDevCertificate();
  const upstream = new Agent({ ca: options.hubCaPem, keepAlive: true, maxSockets: 16 });
  const hub = new URL(options.hubUrl);
  let rates: FaultRates | ((path: string) => FaultRates | null) | null = null;
  let faultyPath: ((path: string) => boolean) | null = null;
  let answerRewrite: AnswerRewrite | null = null;
  let answerGate: AnswerGate | null = null;
  const sockets = new Set<Socket>();
  const injected = { drop: 0, stall: 0, error5xx: 0, cut: 0, cutAfterForward: 0, passed: 0 };

  const pick = (path: string): Fault => {
    if (rates === null || (faultyPath !== null && !faultyPath(path))) return 'pass';
    const here = typeof rates === 'function' ? rates(path) : rates;
    if (here === null) return 'pass';
    let roll = random();
    for (const fault of ['drop', 'stall', 'error5xx', 'cut', 'cutAfterForward'] as const) {
      const rate = here[fault] ?? 0;
      if (roll < rate) return fault;
      roll -= rate;
    }
    return 'pass';
  };

  const forward = (
    req: IncomingMessage,
    body: Buffer,
    onAnswer: (status: number, headers: IncomingMessage['headers'], answer: Buffer) => void,
    onError: () => void,
  ): void => {
    const headers = { ...req.headers, host: hub.host };
    const path = options.rewritePath === undefined ? req.url : options.rewritePath(req.url ?? '/');
    const out = httpsRequest({ host: hub.hostname, port: hub.port, path, method: req.method, headers, agent: upstream }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => onAnswer(res.statusCode ?? 502, res.headers, Buffer.concat(chunks)));
      res.on('error', onError);
    });
    out.on('error', onError);
    out.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const fault = pick(req.url ?? '/');
      injected[fault === 'pass' ? 'passed' : fault] += 1;
      const body = Buffer.concat(chunks);
      switch (fault) {
        case 'drop':
          req.socket.destroy();
          return;
        case 'stall':
          return;
        case 'error5xx':
          res.writeHead(503, { 'content-type': 'application/fhir+json' });
          res.end(
            JSON.stringify({
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'error', code: 'transient', diagnostics: 'injected fault' }],
            }),
          );
          return;
        default:
          forward(
            req,
            body,
            (status, headers, hubAnswer) => {
              if (fault === 'cutAfterForward') {
                req.socket.destroy();
                return;
              }
              const send = (): void => {
                const rewritten = status >= 200 && status < 300 && answerRewrite !== null ? answerRewrite(req.url ?? '/', hubAnswer) : null;
                const answer = rewritten ?? hubAnswer;
                const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, ...kept } = headers;
                res.writeHead(status, { ...kept, 'content-length': String(answer.length) });
                if (fault === 'cut') {
                  res.write(answer.subarray(0, Math.floor(answer.length / 2)), () => req.socket.destroy());
                  return;
                }
                res.end(answer);
              };
              if (answerGate === null) {
                send();
                return;
              }
              answerGate(req.url ?? '/').then(
                (verdict) => {
                  if (verdict === 'send') send();
                },
                () => req.socket.destroy(),
              );
            },
            () => req.socket.destroy(),
          );
      }
    });
  };

  const server: Server = createServer({ cert: tls.certPem, key: tls.keyPem }, handle);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://127.0.0.1:${port}`,
    pin: spkiPin(tls.certPem),
    caPem: tls.certPem,
    setFaults(next, only) {
      rates = next;
      faultyPath = only ?? null;
    },
    setAnswerRewrite(rewrite) {
      answerRewrite = rewrite;
    },
    setAnswerGate(gate) {
      answerGate = gate;
    },
    injected,
    async stop() {
      for (const socket of sockets) socket.destroy();
      upstream.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
