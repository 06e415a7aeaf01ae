// Fetching the signed update manifest through an Electron session (Chromium's network stack, the
// OS proxy settings, and the session's certificate rules: the hub pinned, the update server
// verified, every other host refused). HTTPS only, no cookies, no cache, a size limit.
import type { Session } from 'electron';
import { UpdateError, type FetchUpdateFile } from '../updates/index.js';

/** A manifest or signature larger than this is not one. */
export const MAX_UPDATE_FILE_BYTES = 256 * 1024;

export function sessionUpdateFetch(session: Pick<Session, 'fetch'>): FetchUpdateFile {
  return async (url) => {
    if (new URL(url).protocol !== 'https:') {
      throw new UpdateError('MANIFEST_UNAVAILABLE', 'The update address in the machine policy is not HTTPS; no update was taken. Tell IT.');
    }
    let response: Response;
    try {
      response = await session.fetch(url, { headers: { 'cache-control': 'no-cache' }, credentials: 'omit', redirect: 'follow' });
    } catch (error) {
      throw new UpdateError(
        'MANIFEST_UNAVAILABLE',
        'The update server cannot be reached (or its certificate was refused); no update was taken. It will be tried again later.',
        { cause: error },
      );
    }
    if (response.status === 404) return null;
    if (response.status !== 200) {
      throw new UpdateError(
        'MANIFEST_UNAVAILABLE',
        `The update server answered HTTP ${response.status}; no update was taken. It will be tried again later.`,
      );
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > MAX_UPDATE_FILE_BYTES)
      throw new UpdateError(
        'MANIFEST_INVALID',
        'The update server sent an update manifest far too large to be one; it was refused. Tell IT.',
      );
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > MAX_UPDATE_FILE_BYTES)
      throw new UpdateError(
        'MANIFEST_INVALID',
        'The update server sent an update manifest far too large to be one; it was refused. Tell IT.',
      );
    return bytes;
  };
}
