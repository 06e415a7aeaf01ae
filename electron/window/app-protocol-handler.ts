// The app:// handler Electron calls (protocol.handle): resolveAppRequest decides, this reads the
// file and answers. A refusal is an empty response with its status; the reason goes to the log.
import { readFile } from 'node:fs/promises';
import { resolveAppRequest, type AppResponse, type RendererSite } from './app-protocol.js';

export type AppRefusalListener = (refusal: Extract<AppResponse, { reason: string }>) => void;

export function appProtocolHandler(
  site: RendererSite,
  onRefused: AppRefusalListener = () => undefined,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const decision = resolveAppRequest({ url: request.url, method: request.method }, site);
    if (decision.status !== 200) {
      onRefused(decision);
      return new Response(null, { status: decision.status, headers: { 'Cache-Control': 'no-store' } });
    }
    let body: Buffer;
    try {
      body = await readFile(decision.file);
    } catch {
      onRefused({ status: 404, reason: 'unknown-path' });
      return new Response(null, { status: 404, headers: { 'Cache-Control': 'no-store' } });
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: decision.headers });
  };
}
